using MossGrains.Client.Sessions;

namespace MossGrains.Client.Failover;

/// <summary>
/// How the cluster client makes a grain call. An idempotent one (a query, a read, an upsert or delete by id, an open, a
/// load, a write carrying an idempotency key) is sent again after a transient failure (<see cref="TransientClusterFailures"/>),
/// backing off from 50 ms to 1 s, until <see cref="Cluster.MossClusterClientOptions.RetryDeadline"/> has passed since the first attempt; any
/// other call is sent once. A transient failure that is not retried, or still fails at the deadline, becomes
/// <see cref="MossUnavailableException"/>. An attempt in flight is bounded by Orleans' response timeout and the caller's
/// token, not by the deadline: cancelling it could cut a call waiting (bounded) for a hydration.
/// </summary>
internal sealed class ClusterCalls(TimeSpan retryDeadline, TimeProvider time)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    public Task<T> RetriedAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) => RetriedAsync(call, retry: true, cancellationToken);

    public async Task RetriedAsync(Func<Task> call, CancellationToken cancellationToken) =>
        await RetriedAsync(async () => { await call(); return true; }, retry: true, cancellationToken);

    public Task<T> OnceAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) => RetriedAsync(call, retry: false, cancellationToken);

    /// <summary><see cref="RetriedAsync{T}(Func{Task{T}}, CancellationToken)"/> when <paramref name="retry"/>, else <see cref="OnceAsync{T}"/>.</summary>
    public async Task<T> RetriedAsync<T>(Func<Task<T>> call, bool retry, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var delay = FirstDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await Refusals.Translate(call);
            }
            catch (Exception e) when (TransientClusterFailures.Is(e) && !cancellationToken.IsCancellationRequested)
            {
                var elapsed = time.GetElapsedTime(started);
                if (!retry || elapsed + delay > retryDeadline)
                {
                    throw new MossUnavailableException(Describe(e, attempt, elapsed, retry), e);
                }
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
        }
    }

    private static string Describe(Exception e, int attempts, TimeSpan elapsed, bool retried) => retried
        ? $"The cluster did not answer through a failover ({attempts} attempts in {elapsed.TotalSeconds:F1} s): {e.GetType().Name}: {e.Message} Retry."
        : $"The cluster is changing ({e.GetType().Name}: {e.Message}); this write was not retried and may or may not have been applied. Send it again with an idempotency key to have it applied once.";
}
