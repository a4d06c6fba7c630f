using MossGrains.Grains.Jobs;

namespace MossGrains.Grains.Registry;

/// <summary>
/// A project's durable registry, one per project key: its sessions (opened with settings or pushed), its loaded indexes with
/// their refresh settings, and its jobs (kept at least <see cref="RegistryLimits.JobRetention"/>, at most
/// <see cref="RegistryLimits.MaxJobs"/>). It lives in grain storage (Azure Blob in a cluster, files on one node), so lists
/// read from it are the same before and after a failover or a restart, and loaded indexes are loaded again when a silo
/// starts. Grains record their own changes here; the catalog reads it.
/// </summary>
[Alias("moss.IProjectRegistryGrain")]
public interface IProjectRegistryGrain : IGrainWithStringKey
{
    [Alias("session")]
    Task RecordSessionAsync(RegisteredSession session, CancellationToken cancellationToken = default);

    [Alias("index")]
    Task RecordIndexAsync(RegisteredIndex index, CancellationToken cancellationToken = default);

    /// <summary>The index was unloaded: it is not loaded again at the next start.</summary>
    [Alias("unloaded")]
    Task RemoveIndexAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A job started or changed state (progress within a state is not recorded).</summary>
    [Alias("job")]
    Task RecordJobAsync(JobStatus status, CancellationToken cancellationToken = default);
}

/// <summary>The projects that have a registry: read when a silo starts, to load their indexes again.</summary>
[Alias("moss.IProjectDirectoryGrain")]
public interface IProjectDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The one directory's key.</summary>
    public const string Key = "projects";

    [Alias("add")]
    Task AddAsync(string project, CancellationToken cancellationToken = default);
}
