using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MossGrains.Grains.Jobs;

namespace MossGrains.Client.Jobs;

/// <summary>Job ids: 32 lower-case hex digits, made by the submitting client (random, or from an idempotency key).</summary>
internal static class JobIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>The id of the job submitted in <paramref name="project"/> with idempotency key <paramref name="key"/>: the same on every client and silo.</summary>
    public static string For(string project, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"moss-job\n{project}\n{key}")).AsSpan(0, 16));

    /// <summary>SHA-256 of a job's input, which tells a retried submission from another one under the same key.</summary>
    public static string InputHash(IReadOnlyList<JobUpload> parts) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(parts)));

    public static string Checked(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return Guid.TryParseExact(jobId, "N", out _)
            ? jobId
            : throw new ArgumentException($"Job id '{jobId}' is not one: job ids are 32 hexadecimal digits, as AddDocsAsync and DeleteDocsAsync return them.", nameof(jobId));
    }
}
