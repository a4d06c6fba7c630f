namespace MossGrains.Grains.Limits;

/// <summary>
/// One project's counter of the quotas that span the cluster, keyed by project name: sessions in silo memory and
/// mutation jobs under way. Session grains take a slot when they open and give it back when they deactivate; job grains
/// take one when they start and give it back when they finish. It is self-healing: a slot whose holder is gone (its silo
/// was killed, the release was lost) is found and dropped before anyone is refused (see docs/sessions.md, "Limits").
/// </summary>
[Alias("moss.IProjectLimitsGrain")]
public interface IProjectLimitsGrain : IGrainWithStringKey
{
    /// <summary>Counts session <paramref name="key"/> as in memory (again: a no-op), or refuses with <see cref="QuotaExceededException"/>.</summary>
    [Alias("acquire-session")]
    Task AcquireSessionAsync(string key, CancellationToken cancellationToken = default);

    [Alias("release-session")]
    Task ReleaseSessionAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Counts job <paramref name="jobId"/> as under way (again: a no-op), or refuses with <see cref="QuotaExceededException"/>.</summary>
    [Alias("acquire-job")]
    Task AcquireJobAsync(string jobId, CancellationToken cancellationToken = default);

    [Alias("release-job")]
    Task ReleaseJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>A binary of <paramref name="bytes"/> was published for index <paramref name="key"/>.</summary>
    [Alias("published")]
    Task ReportPublishedAsync(string key, long bytes, CancellationToken cancellationToken = default);

    /// <summary>The project's limits and the usage this grain counts.</summary>
    [Alias("usage")]
    Task<ProjectUsage> GetUsageAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// A project's limits and usage as its <see cref="IProjectLimitsGrain"/> counts it: sessions in memory, jobs under way,
/// and the largest binary published since the grain activated (<see cref="LargestIndex"/>, <see cref="LargestIndexBytes"/>).
/// </summary>
[GenerateSerializer]
[Alias("moss.ProjectUsage")]
public sealed record ProjectUsage(
    [property: Id(0)] ProjectLimits Limits,
    [property: Id(1)] int Sessions,
    [property: Id(2)] int ConcurrentJobs,
    [property: Id(3)] string? LargestIndex,
    [property: Id(4)] long LargestIndexBytes);
