using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Engine.Embedding;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Limits;
using MossGrains.IndexStore;
using MossGrains.IndexStore.Jobs;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Grains.Jobs;

/// <summary>
/// Applies an index's mutation jobs one after another (see <see cref="IIndexWriterGrain"/>). The work runs in the
/// background of the activation (CPU on the thread pool), so enqueues and status reads are answered meanwhile. While jobs
/// are queued a reminder is registered: if this silo dies, the reminder (or the next status read of a waiting job)
/// activates the writer on a survivor, which starts again at the head of the persisted queue. Re-applying a job that had
/// already published is harmless (<see cref="MutationPublisher"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore never creates a wait handle, so it holds nothing to dispose.")]
public sealed partial class IndexWriterGrain(
    [PersistentState("writer", MossGrainStorage.Name)] IPersistentState<WriterQueueState> queue,
    IIndexStore store,
    EmbedderCatalog catalog,
    IOptions<DurableSessionOptions> options,
    IOptions<MossLimitsOptions> limits,
    TimeProvider time,
    ILogger<IndexWriterGrain> logger) : Grain, IIndexWriterGrain, IRemindable, Security.IProjectOwned
{
    /// <inheritdoc/>
    public string Project => Naming.IndexKey.Parse(this.GetPrimaryKeyString()).Project;

    private const string WatchdogReminder = "moss-writer";
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan KeepAliveWhileWorking = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _stateGate = new(1, 1);
    private MutationPublisher? _publisher;
    private Task? _worker;

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (queue.State.Jobs.Count > 0)
        {
            StartWorker();
        }

        return Task.CompletedTask;
    }

    public async Task EnqueueAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (!queue.State.Jobs.Contains(jobId))
        {
            await WriteQueueAsync(jobs => jobs.Add(jobId), cancellationToken);
            await this.RegisterOrUpdateReminder(WatchdogReminder, WatchdogPeriod, WatchdogPeriod, cancellationToken);
        }

        StartWorker();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (queue.State.Jobs.Count == 0)
        {
            await UnregisterWatchdogAsync();
            return;
        }

        StartWorker();
    }

    private void StartWorker()
    {
        if (_worker is null or { IsCompleted: true })
        {
            _worker = WorkAsync();
        }
    }

    private async Task WorkAsync()
    {
        try
        {
            while (queue.State.Jobs.Count > 0)
            {
                string jobId = queue.State.Jobs[0];
                this.DelayDeactivation(KeepAliveWhileWorking);
                await RunAsync(jobId);
                await WriteQueueAsync(jobs => jobs.Remove(jobId), CancellationToken.None);
            }

            await UnregisterWatchdogAsync();
        }
        catch (Exception e)
        {
            // The job stays at the head of the queue; the watchdog reminder or the next status read starts it again.
            LogWorkerStopped(logger, e, Key);
        }
    }

    private async Task RunAsync(string jobId)
    {
        var job = GrainFactory.GetGrain<IJobGrain>(jobId);
        if ((await job.GetStatusAsync()).IsFinished)
        {
            return;
        }

        var spec = await job.GetSpecAsync();
        string project = Naming.IndexKey.Parse(Key).Project;
        _publisher ??= new MutationPublisher(Key, store, catalog, options.Value.Index, options.Value.DefaultModel, time, logger, limits.Value.For(project));
        long? published = null;
        await JobRunner.RunAsync(_publisher, store, jobId, spec, RuntimeIdentity, p =>
        {
            this.DelayDeactivation(KeepAliveWhileWorking); // a long job is not idle, though no request arrives
            published = p.State == JobState.Completed ? _publisher.Published?.Length : null;
            return job.ReportAsync(p);
        }, CancellationToken.None);
        _ = NotifyIndexAsync();
        if (published is { } bytes)
        {
            _ = ReportPublishedAsync(project, bytes);
        }
    }

    /// <summary>Tells the project's limits grain the size of the new binary (for <c>GET …/limits</c>); a failure only loses the report.</summary>
    private async Task ReportPublishedAsync(string project, long bytes)
    {
        try
        {
            await GrainFactory.GetGrain<IProjectLimitsGrain>(project).ReportPublishedAsync(Key, bytes);
        }
        catch (Exception e)
        {
            LogNotifyFailed(logger, Key, e.Message);
        }
    }

    /// <summary>A loaded copy of this index picks the new version up now rather than at its next reminder tick.</summary>
    private async Task NotifyIndexAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IIndexGrain>(Key).NotifyPublishedAsync();
        }
        catch (Exception e)
        {
            LogNotifyFailed(logger, Key, e.Message);
        }
    }

    private async Task WriteQueueAsync(Action<List<string>> change, CancellationToken cancellationToken)
    {
        await _stateGate.WaitAsync(cancellationToken);
        try
        {
            change(queue.State.Jobs);
            await queue.WriteStateAsync(cancellationToken);
        }
        finally
        {
            _stateGate.Release();
        }
    }

    private async Task UnregisterWatchdogAsync()
    {
        if (await this.GetReminder(WatchdogReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Index writer {Key} stopped; its queue is resumed by the watchdog reminder or the next job status read")]
    private static partial void LogWorkerStopped(ILogger logger, Exception exception, string key);

    [LoggerMessage(3, LogLevel.Debug, "Index writer {Key}: the index grain was not told of the new version ({Reason}); it finds it at its next check")]
    private static partial void LogNotifyFailed(ILogger logger, string key, string reason);
}
