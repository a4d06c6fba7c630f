using MossGrains.Grains.Indexes;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Limits;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Registry;
using MossGrains.Grains.Sessions;
using Orleans.Serialization.TypeSystem;

namespace MossGrains.Silo.Catalog;

/// <summary>
/// What a project has: its sessions, loaded indexes and jobs as its durable registry lists them (read from grain storage,
/// so the lists are the same before and after a failover or a restart), enriched with live state where a silo holds the
/// grain in memory, plus what live silos hold that the registry does not list yet. Each silo is asked once, for at most
/// <see cref="SiloCallBound"/>; the silos that did not answer are named in the answer instead of failing it. Listing is
/// capped at a limit taken by name (sessions, indexes) or newest first (jobs) before any grain is called.
/// </summary>
public sealed class ClusterCatalog(IGrainFactory grains, ILocalSiloDetails localSilo, ProjectRegistryReader registries, TimeProvider time)
{
    /// <summary>Default and largest number of entries a list returns.</summary>
    public const int DefaultLimit = 100, MaxLimit = 1000;

    /// <summary>How long a dead silo stays in the list of nodes.</summary>
    public static readonly TimeSpan DeadNodeRetention = TimeSpan.FromHours(1);

    /// <summary>Longest wait for one silo (or one grain on it): a dead or hung silo costs a list at most this, then is named as unreachable.</summary>
    public static readonly TimeSpan SiloCallBound = TimeSpan.FromSeconds(2);

    private static readonly string SessionType = RuntimeTypeNameFormatter.Format(typeof(SessionGrain));
    private static readonly string IndexType = RuntimeTypeNameFormatter.Format(typeof(IndexGrain));
    private static readonly string JobType = RuntimeTypeNameFormatter.Format(typeof(JobGrain));

    private IManagementGrain Management => grains.GetGrain<IManagementGrain>(0);

    /// <summary>The silo answering, as other silos name it.</summary>
    public string LocalSilo => localSilo.SiloAddress.ToParsableString();

    public async Task<CatalogPage<NodeEntry>> GetNodesAsync(CancellationToken cancellationToken)
    {
        var hosts = await Management.GetDetailedHosts(onlyActive: false, cancellationToken).WaitAsync(SiloCallBound, time, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var shown = hosts
            .Where(h => h.Status != SiloStatus.Dead || now - h.IAmAliveTime < DeadNodeRetention)
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1)
            .ThenBy(h => h.SiloName, StringComparer.Ordinal)
            .ToList();
        var asked = await Task.WhenAll(shown.Where(h => h.Status == SiloStatus.Active).Select(async h =>
            (h.SiloAddress, Statistics: (await BoundedAsync(() => Management.GetRuntimeStatistics([h.SiloAddress]), cancellationToken)).Value)));
        var activations = asked.Where(a => a.Statistics is { Length: 1 }).ToDictionary(a => a.SiloAddress, a => a.Statistics![0].ActivationCount);
        var nodes = shown.Select(h => new NodeEntry(
                h.SiloAddress.ToParsableString(),
                h.SiloName,
                h.HostName,
                h.Status.ToString().ToLowerInvariant(),
                new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                activations.TryGetValue(h.SiloAddress, out int count) ? count : null,
                h.SiloAddress.Equals(localSilo.SiloAddress)))
            .ToList();
        return new(nodes, nodes.Count, Names(asked.Where(a => a.Statistics is null).Select(a => a.SiloAddress)));
    }

    /// <summary>The project's sessions by name: registered ones (opened with settings, or pushed) and those live in silo memory.</summary>
    public async Task<CatalogPage<CatalogSession>> GetSessionsAsync(string project, int limit, CancellationToken cancellationToken)
    {
        var (registry, live) = await ReadAsync(project, cancellationToken);
        var names = registry.Sessions.Keys.Union(live.NamesOf(SessionType, project)).Order(StringComparer.Ordinal).ToList();
        var entries = await Task.WhenAll(names.Take(limit).Select(async name =>
        {
            string key = IndexKey.For(project, name);
            var info = live.Holds(SessionType, key, out var silo)
                ? (await live.AskAsync(silo, () => AdmittedInfoAsync(key, cancellationToken), cancellationToken)).Value
                : null;
            return new CatalogSession(project, name, info, registry.Sessions.GetValueOrDefault(name));
        }));
        return new(entries, names.Count, live.Unreachable);
    }

    /// <summary>The project's loaded indexes by name: registered ones and those live in silo memory; one found unloaded meanwhile is left out.</summary>
    public async Task<CatalogPage<CatalogIndex>> GetIndexesAsync(string project, int limit, CancellationToken cancellationToken)
    {
        var (registry, live) = await ReadAsync(project, cancellationToken);
        var names = registry.Indexes.Keys.Union(live.NamesOf(IndexType, project)).Order(StringComparer.Ordinal).ToList();
        var entries = await Task.WhenAll(names.Take(limit).Select(async name =>
        {
            string key = IndexKey.For(project, name);
            var registered = registry.Indexes.GetValueOrDefault(name);
            if (!live.Holds(IndexType, key, out var silo))
            {
                return registered is null ? null : new CatalogIndex(project, name, null, registered);
            }

            var (answered, info) = await live.AskAsync(silo, () => LoadedInfoAsync(key, cancellationToken), cancellationToken);
            return answered && info is null ? null : new CatalogIndex(project, name, info, registered); // answered null: unloaded meanwhile
        }));
        var listed = entries.OfType<CatalogIndex>().ToList();
        return new(listed, listed.Count + Math.Max(0, names.Count - limit), live.Unreachable);
    }

    /// <summary>
    /// The project's jobs, newest first: those its registry keeps (at least <see cref="RegistryLimits.JobRetention"/>) and those
    /// live in silo memory. A job under way, or live, is read from its grain (progress; after a failover this resumes it on a
    /// survivor); otherwise, or when its silo does not answer, its registry entry stands.
    /// </summary>
    public async Task<CatalogPage<JobStatus>> GetJobsAsync(string project, int limit, CancellationToken cancellationToken)
    {
        var (registry, live) = await ReadAsync(project, cancellationToken);
        // Live jobs the registry does not list yet: their project is in their status, so each is read.
        var unlisted = await Task.WhenAll(live.IdsOf(JobType).Where(id => !registry.Jobs.ContainsKey(id)).Select(id =>
            live.Holds(JobType, id, out var silo) ? live.AskAsync(silo, () => KnownJobAsync(id, cancellationToken), cancellationToken) : Task.FromResult<(bool Answered, JobStatus? Value)>((false, null))));
        var all = registry.Jobs.Values
            .Concat(unlisted.Select(u => u.Value).OfType<JobStatus>().Where(s => IndexKey.Parse(s.IndexKey).Project == project))
            .OrderByDescending(s => s.CreatedAt)
            .ToList();
        var shown = await Task.WhenAll(all.Take(limit).Select(async known =>
        {
            bool held = live.Holds(JobType, known.JobId, out var silo);
            if (!held && known.IsFinished)
            {
                return known;
            }

            (bool Answered, JobStatus? Value) asked = held
                ? await live.AskAsync(silo, () => KnownJobAsync(known.JobId, cancellationToken), cancellationToken)
                : await BoundedAsync(() => KnownJobAsync(known.JobId, cancellationToken), cancellationToken);
            return asked.Value ?? known;
        }));
        return new(shown, all.Count, live.Unreachable);
    }

    /// <summary>Refuses a limit outside 1 to <see cref="MaxLimit"/>, naming the field.</summary>
    public static int CheckLimit(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit is {limit}; it must be between 1 and {MaxLimit}."),
    };

    private async Task<(RegistryState Registry, LiveGrains Live)> ReadAsync(string project, CancellationToken cancellationToken)
    {
        var registry = registries.ReadAsync(project, cancellationToken);
        var live = LiveAsync(cancellationToken);
        return (await registry, await live);
    }

    /// <summary>Asks every active silo, each for at most <see cref="SiloCallBound"/>, which of MossGrains' grains it holds.</summary>
    private async Task<LiveGrains> LiveAsync(CancellationToken cancellationToken)
    {
        var hosts = await Management.GetHosts(onlyActive: true, cancellationToken).WaitAsync(SiloCallBound, time, cancellationToken);
        var answers = await Task.WhenAll(hosts.Keys.Select(async silo =>
            (Silo: silo, Grains: (await BoundedAsync(() => Management.GetDetailedGrainStatistics([SessionType, IndexType, JobType], [silo]), cancellationToken)).Value)));
        var held = new Dictionary<(string Type, string Key), SiloAddress>();
        foreach (var (silo, statistics) in answers)
        {
            foreach (var grain in statistics ?? [])
            {
                held[(grain.GrainType, grain.GrainId.Key.ToString()!)] = silo;
            }
        }

        return new LiveGrains(held, [.. answers.Where(a => a.Grains is null).Select(a => a.Silo)], this);
    }

    /// <summary>Whether the call answered within <see cref="SiloCallBound"/>, and its answer; (false, null) when it did not come or failed (a dead silo, a failover under way).</summary>
    private async Task<(bool Answered, T? Value)> BoundedAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await call().WaitAsync(SiloCallBound, time, cancellationToken));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, default);
        }
    }

    private static List<string> Names(IEnumerable<SiloAddress> silos) => [.. silos.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal)];

    /// <summary>A project's usage as its limits grain counts it, and its fullest session in memory.</summary>
    public async Task<ProjectUsageView> GetUsageAsync(string project, CancellationToken cancellationToken)
    {
        _ = IndexKey.For(project, "limits"); // refuses a name that is no project's, naming the field
        var usage = grains.GetGrain<IProjectLimitsGrain>(project).GetUsageAsync(cancellationToken);
        var sessions = await GetSessionsAsync(project, MaxLimit, cancellationToken);
        return new(await usage, sessions.Items.Select(s => s.Live).OfType<SessionInfo>().MaxBy(s => s.DocCount));
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

    /// <summary>Which silo holds which grain, and the silos that did not say; a silo that fails a call later joins them.</summary>
    private sealed class LiveGrains(Dictionary<(string Type, string Key), SiloAddress> held, List<SiloAddress> unreachable, ClusterCatalog catalog)
    {
        public IReadOnlyList<string> Unreachable
        {
            get
            {
                lock (unreachable)
                {
                    return Names(unreachable.Distinct());
                }
            }
        }

        public bool Holds(string type, string key, out SiloAddress silo) => held.TryGetValue((type, key), out silo!);

        public IEnumerable<string> IdsOf(string type) => held.Keys.Where(k => k.Type == type).Select(k => k.Key);

        public IEnumerable<string> NamesOf(string type, string project) =>
            IdsOf(type).Select(IndexKey.Parse).Where(k => k.Project == project).Select(k => k.Name);

        /// <summary>The grain's answer, bounded (see <see cref="BoundedAsync"/>); when it does not come, its silo is named unreachable.</summary>
        public async Task<(bool Answered, T? Value)> AskAsync<T>(SiloAddress silo, Func<Task<T>> call, CancellationToken cancellationToken)
            {
            var answer = await catalog.BoundedAsync(call, cancellationToken);
            if (!answer.Answered)
            {
                lock (unreachable)
                {
                    unreachable.Add(silo);
                }
            }

            return answer;
        }
    }
}

/// <summary>One silo of the cluster; <paramref name="Activations"/> only for an active silo that answered; <paramref name="Current"/> for the silo that answered.</summary>
public sealed record NodeEntry(string Address, string Name, string HostName, string Status, DateTimeOffset StartedAt, int? Activations, bool Current);

/// <summary>A session: its live info when a silo holds it and answered, and its registry entry when it has one.</summary>
public sealed record CatalogSession(string Project, string Name, SessionInfo? Live, RegisteredSession? Registered);

/// <summary>A loaded index: its live info when a silo holds it and answered, and its registry entry when it has one.</summary>
public sealed record CatalogIndex(string Project, string Name, IndexInfo? Live, RegisteredIndex? Registered);

/// <summary>Up to a limit of entries, how many there are in all, and the silos that could not be asked (their live state is missing).</summary>
public sealed record CatalogPage<T>(IReadOnlyList<T> Items, int Total, IReadOnlyList<string> UnreachableSilos);

/// <summary>A project's usage as its limits grain counts it, and its fullest session in memory (null when none is open).</summary>
public sealed record ProjectUsageView(ProjectUsage Usage, SessionInfo? FullestSession);
