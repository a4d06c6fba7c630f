using MossGrains.Grains.Indexes;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Limits;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Sessions;

namespace MossGrains.Silo.Catalog;

/// <summary>
/// What the cluster holds right now: its silos, and per project the sessions, loaded indexes and jobs that are active
/// in silo memory (found through Orleans' management grain, which asks every silo). Listing is capped at a limit taken
/// by name (sessions, indexes) or newest first (jobs) before any grain is called, so a project with many thousands of
/// sessions costs one fan-out plus <c>limit</c> calls.
/// </summary>
public sealed class ClusterCatalog(IGrainFactory grains, ILocalSiloDetails localSilo, TimeProvider time)
{
    // The grain types to list, read once from a reference (no activation) to a grain of each.
    private readonly GrainType _sessionType = grains.GetGrain<ISessionGrain>(IndexKey.For(IndexKey.DefaultProject, "any")).GetGrainId().Type;
    private readonly GrainType _indexType = grains.GetGrain<IIndexGrain>(IndexKey.For(IndexKey.DefaultProject, "any")).GetGrainId().Type;
    private readonly GrainType _jobType = grains.GetGrain<IJobGrain>("any").GetGrainId().Type;

    /// <summary>Default and largest number of entries a list returns.</summary>
    public const int DefaultLimit = 100, MaxLimit = 1000;

    /// <summary>How long a dead silo stays in the list of nodes.</summary>
    public static readonly TimeSpan DeadNodeRetention = TimeSpan.FromHours(1);

    private IManagementGrain Management => grains.GetGrain<IManagementGrain>(0);

    /// <summary>The silo answering, as other silos name it.</summary>
    public string LocalSilo => localSilo.SiloAddress.ToParsableString();

    public async Task<IReadOnlyList<NodeEntry>> GetNodesAsync(CancellationToken cancellationToken)
    {
        var hosts = await Management.GetDetailedHosts(onlyActive: false, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var shown = hosts
            .Where(h => h.Status != SiloStatus.Dead || now - h.IAmAliveTime < DeadNodeRetention)
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1)
            .ThenBy(h => h.SiloName, StringComparer.Ordinal)
            .ToList();
        var active = shown.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await Management.GetRuntimeStatistics(active, cancellationToken);
        var activations = active.Zip(statistics, (silo, s) => (silo, s.ActivationCount)).ToDictionary(p => p.silo, p => p.ActivationCount);
        return shown.Select(h => new NodeEntry(
                h.SiloAddress.ToParsableString(),
                h.SiloName,
                h.HostName,
                h.Status.ToString().ToLowerInvariant(),
                new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                activations.TryGetValue(h.SiloAddress, out int count) ? count : null,
                h.SiloAddress.Equals(localSilo.SiloAddress)))
            .ToList();
    }

    /// <summary>The project's open sessions, by name, with their info.</summary>
    public async Task<CatalogPage<SessionInfo>> GetSessionsAsync(string project, int limit, CancellationToken cancellationToken)
    {
        var names = await ActiveNamesAsync(_sessionType, project, cancellationToken);
        var infos = await Task.WhenAll(names.Take(limit).Select(name => AdmittedInfoAsync(IndexKey.For(project, name), cancellationToken)));
        return new(infos.OfType<SessionInfo>().ToList(), infos.Count(i => i is not null) + Math.Max(0, names.Count - limit));
    }

    /// <summary>The project's loaded indexes, by name, with their info; an index unloaded meanwhile is left out.</summary>
    public async Task<CatalogPage<IndexInfo>> GetIndexesAsync(string project, int limit, CancellationToken cancellationToken)
    {
        var names = await ActiveNamesAsync(_indexType, project, cancellationToken);
        var infos = await Task.WhenAll(names.Take(limit).Select(name => LoadedInfoAsync(IndexKey.For(project, name), cancellationToken)));
        return new(infos.OfType<IndexInfo>().ToList(), infos.Count(i => i is not null) + Math.Max(0, names.Count - limit));
    }

    /// <summary>The project's jobs still in silo memory (those touched within the grain collection age), newest first.</summary>
    public async Task<CatalogPage<JobStatus>> GetJobsAsync(string project, int limit, CancellationToken cancellationToken)
    {
        var ids = await Management.GetActiveGrains(_jobType, cancellationToken);
        // A job's project is in its status, so every active job is read; jobs are few next to sessions.
        var statuses = await Task.WhenAll(ids.Select(id => KnownJobAsync(id.Key.ToString()!, cancellationToken)));
        var ofProject = statuses
            .OfType<JobStatus>()
            .Where(s => IndexKey.Parse(s.IndexKey).Project == project)
            .OrderByDescending(s => s.CreatedAt)
            .ToList();
        return new(ofProject.Take(limit).ToList(), ofProject.Count);
    }

    /// <summary>
    /// The project's quotas and usage: what its <see cref="IProjectLimitsGrain"/> counts, and the fullest of its sessions in
    /// memory (among the first <see cref="MaxLimit"/> by name, as <see cref="GetSessionsAsync"/> lists them).
    /// </summary>
    public async Task<ProjectUsageView> GetUsageAsync(string project, CancellationToken cancellationToken)
    {
        _ = IndexKey.For(project, "limits"); // refuses a name that is no project's, naming the field
        var usage = grains.GetGrain<IProjectLimitsGrain>(project).GetUsageAsync(cancellationToken);
        var sessions = await GetSessionsAsync(project, MaxLimit, cancellationToken);
        return new(await usage, sessions.Items.MaxBy(s => s.DocCount));
    }

    /// <summary>Refuses a limit outside 1 to <see cref="MaxLimit"/>, naming the field.</summary>
    public static int CheckLimit(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit is {limit}; it must be between 1 and {MaxLimit}."),
    };

    private async Task<IReadOnlyList<string>> ActiveNamesAsync(GrainType type, string project, CancellationToken cancellationToken)
    {
        var ids = await Management.GetActiveGrains(type, cancellationToken);
        return ids
            .Select(id => IndexKey.Parse(id.Key.ToString()!))
            .Where(k => k.Project == project)
            .Select(k => k.Name)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    // A status read of an unknown job id activates a grain too; it holds no job.
    private async Task<JobStatus?> KnownJobAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<IJobGrain>(jobId).GetStatusAsync(cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    // A session refused by its project's quota may linger in memory for a moment before it deactivates: it is not open.
    private async Task<SessionInfo?> AdmittedInfoAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<ISessionGrain>(key).GetInfoAsync(cancellationToken);
        }
        catch (QuotaExceededException)
        {
            return null;
        }
    }

    private async Task<IndexInfo?> LoadedInfoAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<IIndexGrain>(key).GetInfoAsync(cancellationToken);
        }
        catch (IndexNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>One silo of the cluster; <paramref name="Activations"/> only for an active silo; <paramref name="Current"/> for the silo that answered.</summary>
public sealed record NodeEntry(string Address, string Name, string HostName, string Status, DateTimeOffset StartedAt, int? Activations, bool Current);

/// <summary>A project's usage as its limits grain counts it, and its fullest session in memory (null when none is open).</summary>
public sealed record ProjectUsageView(ProjectUsage Usage, SessionInfo? FullestSession);

/// <summary>Up to a limit of entries, and how many there are in all.</summary>
public sealed record CatalogPage<T>(IReadOnlyList<T> Items, int Total);
