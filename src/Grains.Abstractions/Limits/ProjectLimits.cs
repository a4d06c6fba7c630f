namespace MossGrains.Grains.Limits;

/// <summary>One project's quotas as the silos enforce them (<c>Moss:Limits:Projects:{project}</c> over <c>Moss:Limits:Default</c>).</summary>
[GenerateSerializer]
[Alias("moss.ProjectLimits")]
public sealed record ProjectLimits(
    [property: Id(0)] string Project,
    [property: Id(1)] int MaxSessions,
    [property: Id(2)] int MaxDocsPerSession,
    [property: Id(3)] long MaxIndexBytes,
    [property: Id(4)] int MaxConcurrentJobs)
{
    /// <summary>The configuration section of quotas.</summary>
    public const string Section = "Moss:Limits";

    /// <summary>The setting that sets <paramref name="quota"/> for <paramref name="project"/>.</summary>
    public static string SettingPath(string project, Quota quota) => $"{Section}:Projects:{project}:{QuotaNames.SettingOf(quota)}";

    public long LimitOf(Quota quota) => quota switch
    {
        Quota.Sessions => MaxSessions,
        Quota.DocsPerSession => MaxDocsPerSession,
        Quota.IndexBytes => MaxIndexBytes,
        _ => MaxConcurrentJobs,
    };

    /// <summary>Refuses a write that would bring session <paramref name="key"/> from <paramref name="docCount"/> to more than <see cref="MaxDocsPerSession"/> live documents.</summary>
    public void EnsureDocsFit(string key, int docCount, int newDocs)
    {
        if ((long)docCount + newDocs > MaxDocsPerSession)
        {
            throw new QuotaExceededException(Project, Quota.DocsPerSession, MaxDocsPerSession, docCount,
                $"session '{key}' holds {docCount:N0} documents and this batch adds {newDocs:N0} new ids");
        }
    }

    /// <summary>Refuses publishing an index binary of <paramref name="bytes"/> for <paramref name="key"/> over <see cref="MaxIndexBytes"/>.</summary>
    public void EnsureIndexFits(string key, long bytes)
    {
        if (bytes > MaxIndexBytes)
        {
            throw new QuotaExceededException(Project, Quota.IndexBytes, MaxIndexBytes, bytes,
                $"the binary of index '{key}' would be {bytes:N0} bytes");
        }
    }
}
