using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Sessions;

namespace MossGrains.Grains.Limits;

/// <summary>
/// A project's cluster-wide quota counter (see <see cref="IProjectLimitsGrain"/>).
/// <para>Sessions: the set of session keys holding a slot, in memory only. On activation it is rebuilt from the session
/// activations the cluster really holds (Orleans' management grain asks every active silo), and before a session is
/// refused the set is cut down to those activations again; so a slot of a killed silo (whose sessions never deactivated)
/// or of a lost release is freed as soon as anyone needs it, without a lease or timer.</para>
/// <para>Jobs: persisted, since a job outlives silos (its writer resumes it elsewhere). Before a job is refused, each
/// counted job's status is read and finished or vanished ones are dropped.</para>
/// Non-reentrant: every acquire sees the count the previous one left. It calls no session grain, so a session waiting
/// for its slot cannot deadlock with it; job grains' status reads interleave, so a job waiting for its slot cannot either.
/// </summary>
public sealed partial class ProjectLimitsGrain(
    [PersistentState("limits", MossGrainStorage.Name)] IPersistentState<ProjectJobsState> jobs,
    IOptions<MossLimitsOptions> options,
    TimeProvider time,
    ILogger<ProjectLimitsGrain> logger) : Grain, IProjectLimitsGrain
{
    /// <summary>A counted job whose grain holds no job yet may still be starting (its state is being written): dropped only after this.</summary>
    private static readonly TimeSpan StartingJobGrace = TimeSpan.FromMinutes(1);

    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _publishedBytes = new(StringComparer.Ordinal);
    private bool _rebuilt;

    private string Project => this.GetPrimaryKeyString();

    private ProjectLimits Limits => options.Value.For(Project);

    public override Task OnActivateAsync(CancellationToken cancellationToken) => RebuildAsync(cancellationToken);

    public async Task AcquireSessionAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_sessions.Contains(key))
        {
            return;
        }

        if (!_rebuilt)
        {
            await RebuildAsync(cancellationToken);
        }

        var limits = Limits;
        if (_sessions.Count >= limits.MaxSessions && await LiveSessionsAsync(cancellationToken) is { } live)
        {
            int before = _sessions.Count;
            _sessions.IntersectWith(live);
            if (before > _sessions.Count)
            {
                LogReconciled(logger, Project, "sessions", before - _sessions.Count);
            }
        }

        if (_sessions.Count >= limits.MaxSessions)
        {
            throw new QuotaExceededException(Project, Quota.Sessions, limits.MaxSessions, _sessions.Count,
                $"{_sessions.Count:N0} sessions are in memory, so session '{key}' cannot open", options.Value.RetryAfter);
        }

        _sessions.Add(key);
    }

    public Task ReleaseSessionAsync(string key, CancellationToken cancellationToken)
    {
        _sessions.Remove(key);
        return Task.CompletedTask;
    }

    public async Task AcquireJobAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var counted = jobs.State.Jobs;
        if (counted.ContainsKey(jobId))
        {
            return;
        }

        var limits = Limits;
        if (counted.Count >= limits.MaxConcurrentJobs)
        {
            await DropFinishedJobsAsync(cancellationToken);
        }

        if (counted.Count >= limits.MaxConcurrentJobs)
        {
            throw new QuotaExceededException(Project, Quota.ConcurrentJobs, limits.MaxConcurrentJobs, counted.Count,
                $"{counted.Count:N0} jobs are under way, so job {jobId} cannot start", options.Value.RetryAfter);
        }

        counted[jobId] = time.GetUtcNow();
        await jobs.WriteStateAsync(cancellationToken);
    }

    public async Task ReleaseJobAsync(string jobId, CancellationToken cancellationToken)
    {
        if (jobs.State.Jobs.Remove(jobId))
        {
            await jobs.WriteStateAsync(cancellationToken);
        }
    }

    public Task ReportPublishedAsync(string key, long bytes, CancellationToken cancellationToken)
    {
        _publishedBytes[key] = bytes;
        return Task.CompletedTask;
    }

    public Task<ProjectUsage> GetUsageAsync(CancellationToken cancellationToken)
    {
        var largest = _publishedBytes.Count == 0 ? default : _publishedBytes.MaxBy(p => p.Value);
        return Task.FromResult(new ProjectUsage(Limits, _sessions.Count, jobs.State.Jobs.Count, largest.Key, largest.Value));
    }

    /// <summary>
    /// Counts the sessions the cluster holds now (those that took their slot before this activation). Until it has
    /// succeeded once, every acquire tries again, so a counter activated while a silo was unreachable does not stay low.
    /// </summary>
    private async Task RebuildAsync(CancellationToken cancellationToken)
    {
        if (await LiveSessionsAsync(cancellationToken) is { } live)
        {
            _sessions.UnionWith(live);
            _rebuilt = true;
        }
    }

    /// <summary>The project's session keys active anywhere in the cluster, or null when the cluster could not be asked (the count then stands).</summary>
    private async Task<HashSet<string>?> LiveSessionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var type = GrainFactory.GetGrain<ISessionGrain>(IndexKey.For(Project, "any")).GetGrainId().Type;
            var active = await GrainFactory.GetGrain<IManagementGrain>(0).GetActiveGrains(type, cancellationToken);
            return [.. active.Select(id => id.Key.ToString()!).Where(key => IndexKey.Parse(key).Project == Project)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotReconciled(logger, e, Project);
            return null;
        }
    }

    private async Task DropFinishedJobsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var gone = new List<string>();
        foreach (var (jobId, since) in jobs.State.Jobs)
        {
            try
            {
                // Interleaves with the job's own calls; a stalled upload is failed by this very read.
                if ((await GrainFactory.GetGrain<IJobGrain>(jobId).GetStatusAsync(cancellationToken)).IsFinished)
                {
                    gone.Add(jobId);
                }
            }
            catch (KeyNotFoundException) when (now - since > StartingJobGrace)
            {
                gone.Add(jobId);
            }
            catch (Exception e) when (e is not (OperationCanceledException or KeyNotFoundException))
            {
                LogJobUnread(logger, e, Project, jobId);
            }
        }

        if (gone.Count > 0)
        {
            gone.ForEach(id => jobs.State.Jobs.Remove(id));
            await jobs.WriteStateAsync(cancellationToken);
            LogReconciled(logger, Project, "jobs", gone.Count);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Project {Project}: {Count} {What} slots held by nothing live were freed")]
    private static partial void LogReconciled(ILogger logger, string project, string what, int count);

    [LoggerMessage(2, LogLevel.Warning, "Project {Project}: the cluster's live sessions could not be listed; the session count stands")]
    private static partial void LogNotReconciled(ILogger logger, Exception exception, string project);

    [LoggerMessage(3, LogLevel.Warning, "Project {Project}: job {JobId} could not be read; it stays counted")]
    private static partial void LogJobUnread(ILogger logger, Exception exception, string project, string jobId);
}
