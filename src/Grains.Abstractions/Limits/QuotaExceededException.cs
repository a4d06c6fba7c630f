namespace MossGrains.Grains.Limits;

/// <summary>
/// A call was refused by a per-project quota and changed nothing. Names the <see cref="Quota"/>, its <see cref="Limit"/>,
/// the <see cref="Usage"/> the call met and the <see cref="Setting"/> an operator raises. For quotas that free themselves
/// (<see cref="QuotaNames.FreesItself"/>) <see cref="RetryAfter"/> says when a retry is worth trying (HTTP 429 with
/// <c>Retry-After</c>); capacity quotas are HTTP 403.
/// </summary>
[GenerateSerializer]
[Alias("moss.QuotaExceededException")]
public sealed class QuotaExceededException : Exception
{
    public QuotaExceededException()
    {
    }

    public QuotaExceededException(string message)
        : base(message)
    {
    }

    public QuotaExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QuotaExceededException(string project, Quota quota, long limit, long usage, string what, TimeSpan? retryAfter = null)
        : base(MessageOf(project, quota, limit, usage, what, retryAfter))
    {
        Project = project;
        Quota = quota;
        Limit = limit;
        Usage = usage;
        Setting = ProjectLimits.SettingPath(project, quota);
        RetryAfter = retryAfter;
    }

    [Id(0)]
    public string Project { get; init; } = "";

    [Id(1)]
    public Quota Quota { get; init; }

    [Id(2)]
    public long Limit { get; init; }

    /// <summary>What the call met: the count or size in use, or what the refused call would have brought it to (said in the message).</summary>
    [Id(3)]
    public long Usage { get; init; }

    /// <summary>The configuration key that raises this project's limit, e.g. <c>Moss:Limits:Projects:acme:MaxSessions</c>.</summary>
    [Id(4)]
    public string Setting { get; init; } = "";

    /// <summary>For quotas that free themselves: when a retry is worth trying; null for capacity quotas.</summary>
    [Id(5)]
    public TimeSpan? RetryAfter { get; init; }

    private static string MessageOf(string project, Quota quota, long limit, long usage, string what, TimeSpan? retryAfter) =>
        $"Project '{project}' is at its {QuotaNames.Of(quota)} quota: {what} (limit {limit:N0}, usage {usage:N0}); nothing was changed. " +
        (retryAfter is { } after
            ? $"It frees itself; retry in {after.TotalSeconds:0} s, or raise {ProjectLimits.SettingPath(project, quota)}."
            : $"Delete something first, or raise {ProjectLimits.SettingPath(project, quota)}.");
}
