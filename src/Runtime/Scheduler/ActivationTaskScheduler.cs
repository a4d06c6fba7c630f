namespace MossGrains.Runtime.Scheduler;

/// <summary>
/// Runs one activation's work one task at a time on the thread pool, so grain code is
/// single-threaded: every continuation after an await inside a grain comes back here.
/// Which requests may be in progress together is decided by <see cref="Catalog.ActivationData"/>;
/// this only guarantees that no two pieces of the activation's code run at the same moment.
/// </summary>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    // Tasks run per thread-pool visit before yielding the thread to others.
    private const int TurnBudget = 64;

    private readonly Queue<Task> queue = new();
    private bool scheduled;

    /// <summary>Queues an asynchronous work item; its continuations stay on this scheduler.</summary>
    public Task RunAsync(Func<object?, Task> action, object? state)
    {
        var task = new Task<Task>(action, state);
        task.Start(this);
        return task.Unwrap();
    }

    void IThreadPoolWorkItem.Execute()
    {
        for (int i = 0; i < TurnBudget; i++)
        {
            Task? next;
            lock (queue)
            {
                if (!queue.TryDequeue(out next))
                {
                    scheduled = false;
                    return;
                }
            }

            TryExecuteTask(next);
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    protected override void QueueTask(Task task)
    {
        lock (queue)
        {
            queue.Enqueue(task);
            if (scheduled)
            {
                return;
            }

            scheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    // Never inline: inlining could run activation code on a thread that is not this scheduler's turn.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (queue)
        {
            return [.. queue];
        }
    }
}
