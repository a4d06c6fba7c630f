using Microsoft.Extensions.Logging;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Naming;

namespace MossGrains.Grains.Registry;

/// <summary>
/// When a silo starts, loads again every index the registries list as loaded (in the background: the silo does not wait),
/// so a restart of one node or of the whole cluster brings loaded indexes back with their refresh settings and reminders
/// without anyone calling load. Every silo does it; for an index already loaded it is a no-op.
/// </summary>
internal sealed partial class LoadedIndexRevival(IGrainFactory grains, ProjectRegistryReader registries, TimeProvider time, ILogger<LoadedIndexRevival> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _revival = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LoadedIndexRevival), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _revival = Task.Run(() => ReviveAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _revival.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task ReviveAsync(CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        try
        {
            var keys = new List<(string Project, string Name)>();
            foreach (string project in await registries.ProjectsAsync(cancellationToken))
            {
                keys.AddRange((await registries.ReadAsync(project, cancellationToken)).Indexes.Keys.Select(name => (project, name)));
            }

            var outcomes = await Task.WhenAll(keys.Select(k => ResumeAsync(k.Project, k.Name, cancellationToken)));
            LogRevived(logger, outcomes.Count(o => o), keys.Count, time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e);
        }
        catch (OperationCanceledException)
        {
            // the silo is stopping
        }
    }

    private async Task<bool> ResumeAsync(string project, string name, CancellationToken cancellationToken)
    {
        try
        {
            if (await grains.GetGrain<IIndexGrain>(IndexKey.For(project, name)).ResumeAsync(cancellationToken) is null)
            {
                // Unloaded, and the registry missed it: drop the entry so no later start tries again.
                await grains.GetGrain<IProjectRegistryGrain>(project).RemoveIndexAsync(name, cancellationToken);
                return false;
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogIndexFailed(logger, e, project, name);
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Loaded indexes revived from the registries: {Revived} of {Listed} in {Milliseconds:0} ms")]
    private static partial void LogRevived(ILogger logger, int revived, int listed, double milliseconds);

    [LoggerMessage(2, LogLevel.Warning, "Loaded index {Project}/{Name} could not be revived now; its reminder or the next query loads it")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception, string project, string name);

    [LoggerMessage(3, LogLevel.Error, "Loaded indexes could not be revived from the registries; their reminders or the next queries load them")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
