using MossGrains.Runtime.GrainDirectory;
using MossGrains.Runtime.Metadata;
using MossGrains.Runtime.Scheduler;
using MossGrains.Runtime.Timers;

namespace MossGrains.Runtime.Catalog;

internal enum ActivationState
{
    Creating,
    Valid,
    Deactivating,
    Invalid,
}

/// <summary>
/// One activation of a grain on this silo: the grain instance, its turn scheduler, the queue of
/// calls waiting for their turn and the interleaving rules that decide when each may start.
/// </summary>
internal sealed class ActivationData
{
    [ThreadStatic]
    private static ActivationData? constructing;

    private readonly object gate = new();
    private readonly Queue<WorkItem> waiting = new();
    private readonly ActivationTaskScheduler scheduler = new();
    private readonly TaskCompletionSource deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<GrainTimer> timers = [];
    private ActivationState state = ActivationState.Creating;
    private int runningExclusive;
    private int runningReadOnly;
    private int runningTotal;
    private DeactivationReason? requestedDeactivation;
    private DateTimeOffset idleSince;
    private Grain? instance;

    public ActivationData(GrainId grainId, GrainClassMetadata classMetadata, GrainRuntime services)
    {
        GrainId = grainId;
        ClassMetadata = classMetadata;
        Services = services;
        Address = new GrainAddress(grainId, services.LocalSilo.SiloAddress, Guid.NewGuid().ToString("N"));
        idleSince = services.TimeProvider.GetUtcNow();
    }

    /// <summary>The activation whose grain constructor is running on this thread.</summary>
    internal static ActivationData? Constructing => constructing;

    public GrainId GrainId { get; }

    public GrainAddress Address { get; }

    public GrainClassMetadata ClassMetadata { get; }

    public GrainRuntime Services { get; }

    public ActivationTaskScheduler Scheduler => scheduler;

    public ActivationState State
    {
        get
        {
            lock (gate)
            {
                return state;
            }
        }
    }

    /// <summary>Completes when the activation has been deactivated and removed.</summary>
    public Task Deactivated => deactivated.Task;

    /// <summary>Queues <paramref name="item"/>; false if this activation is gone (the caller re-routes).</summary>
    public bool TryEnqueue(WorkItem item)
    {
        lock (gate)
        {
            if (state == ActivationState.Invalid)
            {
                return false;
            }

            bool startNow = state == ActivationState.Valid && requestedDeactivation is null
                && (waiting.Count == 0 || item.Interleave == InterleaveKind.Always)
                && CanStart(item.Interleave);
            if (!startNow)
            {
                waiting.Enqueue(item);
                return true;
            }

            Account(item, +1);
        }

        Start(item);
        return true;
    }

    /// <summary>Deactivates once running calls complete; queued calls go to a new activation.</summary>
    public Task RequestDeactivation(DeactivationReason reason)
    {
        bool start;
        lock (gate)
        {
            requestedDeactivation ??= reason;
            start = state == ActivationState.Valid && runningTotal == 0;
            if (start)
            {
                state = ActivationState.Deactivating;
            }
        }

        if (start)
        {
            _ = DeactivateAsync(reason);
        }

        return deactivated.Task;
    }

    /// <summary>True if valid, nothing running or queued, and idle for at least <paramref name="age"/>.</summary>
    public bool IsIdleFor(TimeSpan age, DateTimeOffset now)
    {
        lock (gate)
        {
            return state == ActivationState.Valid && runningTotal == 0 && waiting.Count == 0 && now - idleSince >= age;
        }
    }

    internal void AddTimer(GrainTimer timer)
    {
        lock (gate)
        {
            if (state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                throw new InvalidOperationException($"Activation of {GrainId} is deactivating; it cannot start timers.");
            }

            timers.Add(timer);
        }
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    /// <summary>Registers in the directory, creates the grain and runs OnActivateAsync, then releases queued calls.</summary>
    public async Task ActivateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var winner = await Services.Directory.RegisterAsync(Address, cancellationToken).ConfigureAwait(false);
            if (winner.ActivationId != Address.ActivationId)
            {
                Services.Log.DuplicateActivation(GrainId, winner.Silo);
                Invalidate(forward: true);
                return;
            }

            await scheduler.RunAsync(
                static state =>
                {
                    var self = (ActivationData)state!;
                    self.instance = self.CreateInstance();
                    return self.instance.OnActivateAsync(CancellationToken.None);
                },
                this).ConfigureAwait(false);
            Services.Log.Activated(GrainId);
        }
        catch (Exception ex)
        {
            Services.Log.ActivationFailed(ex, GrainId);
            await Services.Directory.UnregisterAsync(Address, CancellationToken.None).ConfigureAwait(false);
            FailAll(ex);
            return;
        }

        List<WorkItem> toStart;
        lock (gate)
        {
            state = ActivationState.Valid;
            idleSince = Services.TimeProvider.GetUtcNow();
            toStart = TakeStartable();
        }

        StartAll(toStart);
        CheckDeactivation();
    }

    private Grain CreateInstance()
    {
        constructing = this;
        try
        {
            return (Grain)Services.CreateGrainInstance(ClassMetadata.GrainClass);
        }
        finally
        {
            constructing = null;
        }
    }

    private bool CanStart(InterleaveKind kind) =>
        ClassMetadata.IsReentrant || kind switch
        {
            InterleaveKind.Always => true,
            InterleaveKind.ReadOnly => runningExclusive == 0,
            _ => runningExclusive == 0 && runningReadOnly == 0,
        };

    private void Account(WorkItem item, int delta)
    {
        runningTotal += delta;
        if (item.Interleave == InterleaveKind.Exclusive)
        {
            runningExclusive += delta;
        }
        else if (item.Interleave == InterleaveKind.ReadOnly)
        {
            runningReadOnly += delta;
        }
    }

    private void Start(WorkItem item) =>
        scheduler.RunAsync(static state => ((ActivationData, WorkItem))state! is var (self, work) ? self.RunAsync(work) : Task.CompletedTask, (this, item));

    private void StartAll(List<WorkItem> items)
    {
        foreach (var item in items)
        {
            Start(item);
        }
    }

    private async Task RunAsync(WorkItem item)
    {
        try
        {
            await item.ExecuteAsync(instance!).ConfigureAwait(true);
        }
        finally
        {
            OnCompleted(item);
        }
    }

    private void OnCompleted(WorkItem item)
    {
        List<WorkItem> toStart;
        lock (gate)
        {
            Account(item, -1);
            if (item.KeepAlive)
            {
                idleSince = Services.TimeProvider.GetUtcNow();
            }

            toStart = TakeStartable();
        }

        StartAll(toStart);
        CheckDeactivation();
    }

    // Under the lock: the queued items that may start now, in order, with their accounting done.
    private List<WorkItem> TakeStartable()
    {
        var result = new List<WorkItem>();
        while (state == ActivationState.Valid && requestedDeactivation is null && waiting.Count > 0 && CanStart(waiting.Peek().Interleave))
        {
            var item = waiting.Dequeue();
            Account(item, +1);
            result.Add(item);
        }

        return result;
    }

    private void CheckDeactivation()
    {
        DeactivationReason reason;
        lock (gate)
        {
            if (requestedDeactivation is not { } requested || state != ActivationState.Valid || runningTotal != 0)
            {
                return;
            }

            state = ActivationState.Deactivating;
            reason = requested;
        }

        _ = DeactivateAsync(reason);
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        GrainTimer[] toStop;
        lock (gate)
        {
            toStop = [.. timers];
            timers.Clear();
        }

        foreach (var timer in toStop)
        {
            timer.Dispose();
        }

        // OnDeactivateAsync gets DeactivationTimeout; then its token is cancelled and it gets as long
        // again to notice. After that the runtime stops waiting, so a hanging grain cannot block shutdown.
        var timeout = Services.DeactivationTimeout;
        using (var expiry = new CancellationTokenSource())
        {
            try
            {
                var onDeactivate = scheduler.RunAsync(
                    static state =>
                    {
                        var (self, why, token) = ((ActivationData, DeactivationReason, CancellationToken))state!;
                        return self.instance!.OnDeactivateAsync(why, token);
                    },
                    (this, reason, expiry.Token));
                try
                {
                    await onDeactivate.WaitAsync(timeout, Services.TimeProvider).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    await expiry.CancelAsync().ConfigureAwait(false);
                    await onDeactivate.WaitAsync(timeout, Services.TimeProvider).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                Services.Log.DeactivationFailed(ex, GrainId);
            }
        }

        try
        {
            await Services.Directory.UnregisterAsync(Address, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Services.Log.DeactivationFailed(ex, GrainId);
        }

        Services.Log.Deactivated(GrainId, reason.ReasonCode);
        Invalidate(forward: true);
    }

    private void Invalidate(bool forward)
    {
        foreach (var item in Close())
        {
            if (forward)
            {
                item.Reroute(Services, GrainId);
            }
        }
    }

    private void FailAll(Exception exception)
    {
        foreach (var item in Close())
        {
            item.Fail(exception);
        }
    }

    // Marks the activation gone, removes it from the catalog and hands back what was still queued.
    private WorkItem[] Close()
    {
        WorkItem[] pending;
        lock (gate)
        {
            state = ActivationState.Invalid;
            pending = [.. waiting];
            waiting.Clear();
        }

        Services.Catalog.Remove(this);
        deactivated.TrySetResult();
        return pending;
    }
}
