using MossGrains.Runtime.Metadata;

namespace MossGrains.Runtime.Catalog;

/// <summary>Something an activation runs as a turn: a grain call or a timer tick.</summary>
internal abstract class WorkItem
{
    public abstract InterleaveKind Interleave { get; }

    /// <summary>Whether running this counts as activity for idle collection.</summary>
    public virtual bool KeepAlive => true;

    /// <summary>Runs on the activation's scheduler.</summary>
    public abstract Task ExecuteAsync(Grain grain);

    /// <summary>The activation went away before running this: re-route it (or drop it).</summary>
    public abstract void Reroute(GrainRuntime runtime, GrainId grainId);

    /// <summary>The activation failed to start: fail this.</summary>
    public abstract void Fail(Exception exception);
}

/// <summary>A grain call delivered to a local activation; its outcome completes <see cref="Completion"/>.</summary>
internal sealed class GrainCallWorkItem(GrainMethod method, object?[] args, int forwardCount, CancellationToken cancellationToken) : WorkItem
{
    private readonly TaskCompletionSource<object?> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<object?> Completion => completion.Task;

    public override InterleaveKind Interleave => method.Interleave;

    public override async Task ExecuteAsync(Grain grain)
    {
        try
        {
            completion.TrySetResult(await method.Invoker(grain, args).ConfigureAwait(true));
        }
        catch (Exception ex)
        {
            completion.TrySetException(ex);
        }
    }

    public override void Reroute(GrainRuntime runtime, GrainId grainId)
    {
        if (forwardCount >= runtime.MaxForwardCount)
        {
            completion.TrySetException(new InvalidOperationException($"Call to {grainId} was forwarded more than {runtime.MaxForwardCount} times."));
            return;
        }

        var task = runtime.Router.RouteAsync(grainId, method, args, forwardCount + 1, cancellationToken);
        task.ContinueWith(
            static (t, state) =>
            {
                var source = (TaskCompletionSource<object?>)state!;
                if (t.IsCompletedSuccessfully)
                {
                    source.TrySetResult(t.Result);
                }
                else if (t.IsCanceled)
                {
                    source.TrySetCanceled();
                }
                else
                {
                    source.TrySetException(t.Exception!.InnerExceptions);
                }
            },
            completion,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public override void Fail(Exception exception) => completion.TrySetException(exception);
}
