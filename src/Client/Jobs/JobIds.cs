namespace MossGrains.Client.Jobs;

/// <summary>Job ids: 32 lower-case hex digits, made by the submitting client.</summary>
internal static class JobIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    public static string Checked(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return Guid.TryParseExact(jobId, "N", out _)
            ? jobId
            : throw new ArgumentException($"Job id '{jobId}' is not one: job ids are 32 hexadecimal digits, as AddDocsAsync and DeleteDocsAsync return them.", nameof(jobId));
    }
}
