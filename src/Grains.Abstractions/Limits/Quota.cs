namespace MossGrains.Grains.Limits;

/// <summary>
/// A per-project quota (<c>Moss:Limits</c>). Two kinds: <see cref="Sessions"/> and <see cref="ConcurrentJobs"/> free
/// themselves (a session deactivates, a job finishes), so a refusal says when to retry; <see cref="DocsPerSession"/> and
/// <see cref="IndexBytes"/> are capacity, refused until the caller deletes something or the operator raises the limit.
/// </summary>
public enum Quota
{
    /// <summary>Sessions held in silo memory across the cluster (<c>MaxSessions</c>).</summary>
    Sessions,

    /// <summary>Live documents in one session (<c>MaxDocsPerSession</c>).</summary>
    DocsPerSession,

    /// <summary>Size of one index binary as published to the store (<c>MaxIndexBytes</c>).</summary>
    IndexBytes,

    /// <summary>Mutation jobs started and not yet finished (<c>MaxConcurrentJobs</c>).</summary>
    ConcurrentJobs,
}

/// <summary>Names of <see cref="Quota"/>: on the wire (snake_case) and as configuration settings.</summary>
public static class QuotaNames
{
    public static string Of(Quota quota) => quota switch
    {
        Quota.Sessions => "sessions",
        Quota.DocsPerSession => "docs_per_session",
        Quota.IndexBytes => "index_bytes",
        _ => "concurrent_jobs",
    };

    /// <summary>The setting's name under <c>Moss:Limits:Default</c> or <c>Moss:Limits:Projects:{project}</c>.</summary>
    public static string SettingOf(Quota quota) => quota switch
    {
        Quota.Sessions => "MaxSessions",
        Quota.DocsPerSession => "MaxDocsPerSession",
        Quota.IndexBytes => "MaxIndexBytes",
        _ => "MaxConcurrentJobs",
    };

    /// <summary>True for the quotas that free themselves (answered 429 with <c>Retry-After</c>), false for capacity (403).</summary>
    public static bool FreesItself(Quota quota) => quota is Quota.Sessions or Quota.ConcurrentJobs;
}
