using MossGrains.Grains.Jobs;

namespace MossGrains.Grains.Registry;

/// <summary>A project's durable registry (see <see cref="IProjectRegistryGrain"/>): every change is written to grain storage before the call returns.</summary>
public sealed class ProjectRegistryGrain(
    [PersistentState(ProjectRegistryGrain.StateName, MossGrainStorage.Name)] IPersistentState<RegistryState> state,
    TimeProvider time) : Grain, IProjectRegistryGrain
{
    public const string StateName = "registry";

    public Task RecordSessionAsync(RegisteredSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        state.State.Sessions.TryGetValue(session.Name, out var known);
        // A settings change keeps what the last push recorded.
        var merged = session.LatestVersion is null && known is not null
            ? session with { LatestVersion = known.LatestVersion, DocCount = known.DocCount, Dimensions = known.Dimensions }
            : session;
        return known == merged ? Task.CompletedTask : SaveAsync(() => state.State.Sessions[session.Name] = merged, cancellationToken);
    }

    public Task RecordIndexAsync(RegisteredIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        return state.State.Indexes.TryGetValue(index.Name, out var known) && known with { UpdatedAt = index.UpdatedAt } == index
            ? Task.CompletedTask
            : SaveAsync(() => state.State.Indexes[index.Name] = index, cancellationToken);
    }

    public Task RemoveIndexAsync(string name, CancellationToken cancellationToken) =>
        state.State.Indexes.ContainsKey(name) ? SaveAsync(() => state.State.Indexes.Remove(name), cancellationToken) : Task.CompletedTask;

    public Task RecordJobAsync(JobStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        return SaveAsync(() =>
        {
            state.State.Jobs[status.JobId] = status;
            PruneJobs();
        }, cancellationToken);
    }

    private void PruneJobs()
    {
        var jobs = state.State.Jobs;
        var expired = time.GetUtcNow() - RegistryLimits.JobRetention;
        foreach (var job in jobs.Values.Where(j => j.IsFinished && j.UpdatedAt < expired).ToList())
        {
            jobs.Remove(job.JobId);
        }

        foreach (var job in jobs.Values.Where(j => j.IsFinished).OrderBy(j => j.UpdatedAt).Take(jobs.Count - RegistryLimits.MaxJobs).ToList())
        {
            jobs.Remove(job.JobId);
        }
    }

    private async Task SaveAsync(Action change, CancellationToken cancellationToken)
    {
        if (!state.State.Listed)
        {
            await GrainFactory.GetGrain<IProjectDirectoryGrain>(IProjectDirectoryGrain.Key).AddAsync(this.GetPrimaryKeyString(), cancellationToken);
            state.State.Listed = true;
        }

        change();
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            // Memory now holds a change storage does not: the next activation reads storage again.
            DeactivateOnIdle();
            throw;
        }
    }
}

/// <summary>The directory of projects with a registry (see <see cref="IProjectDirectoryGrain"/>).</summary>
public sealed class ProjectDirectoryGrain(
    [PersistentState(ProjectDirectoryGrain.StateName, MossGrainStorage.Name)] IPersistentState<ProjectDirectoryState> state) : Grain, IProjectDirectoryGrain
{
    public const string StateName = "projects";

    public async Task AddAsync(string project, CancellationToken cancellationToken)
    {
        if (state.State.Projects.Add(project))
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
