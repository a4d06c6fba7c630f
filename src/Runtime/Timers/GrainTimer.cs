using MossGrains.Runtime.Catalog;
using MossGrains.Runtime.Metadata;

namespace MossGrains.Runtime.Timers;

/// <summary>
/// A grain timer: each tick is queued to the activation as a turn; the next period starts when
/// the tick's callback completes, so ticks never overlap.
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData activation;
    private readonly Func<CancellationToken, Task> callback;
    private readonly GrainTimerCreationOptions options;
    private readonly CancellationTokenSource disposed = new();
    private readonly object gate = new();
    private ITimer? timer;
    private TimeSpan period;

    private GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        this.activation = activation;
        this.callback = callback;
        this.options = options;
        period = options.Period;
    }

    internal static GrainTimer Start(ActivationData activation, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        Validate(options.DueTime, options.Period);
        var grainTimer = new GrainTimer(activation, callback, options);
        activation.AddTimer(grainTimer);
        lock (grainTimer.gate)
        {
            grainTimer.timer = activation.Services.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnDue(), grainTimer, options.DueTime, Timeout.InfiniteTimeSpan);
        }

        return grainTimer;
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed.IsCancellationRequested, this);
            this.period = period;
            timer!.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed.IsCancellationRequested)
            {
                return;
            }

            disposed.Cancel();
            timer?.Dispose();
        }

        activation.RemoveTimer(this);
    }

    private static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "Timer due time must be zero or more (or infinite).");
        }

        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "Timer period must be positive (or infinite).");
        }
    }

    private void OnDue()
    {
        if (disposed.IsCancellationRequested)
        {
            return;
        }

        if (!activation.TryEnqueue(new TickWorkItem(this)))
        {
            Dispose();
        }
    }

    private void OnTickCompleted()
    {
        lock (gate)
        {
            if (!disposed.IsCancellationRequested && period != Timeout.InfiniteTimeSpan)
            {
                timer!.Change(period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private sealed class TickWorkItem(GrainTimer owner) : WorkItem
    {
        public override InterleaveKind Interleave => owner.options.Interleave ? InterleaveKind.Always : InterleaveKind.Exclusive;

        public override bool KeepAlive => owner.options.KeepAlive;

        public override async Task ExecuteAsync(Grain grain)
        {
            try
            {
                if (!owner.disposed.IsCancellationRequested)
                {
                    await owner.callback(owner.disposed.Token).ConfigureAwait(true);
                }
            }
            catch (Exception ex)
            {
                owner.activation.Services.Log.TimerFailed(ex, owner.activation.GrainId);
            }
            finally
            {
                owner.OnTickCompleted();
            }
        }

        // A tick for an activation that went away is dropped: timers belong to one activation.
        public override void Reroute(GrainRuntime runtime, GrainId grainId)
        {
        }

        public override void Fail(Exception exception)
        {
        }
    }
}
