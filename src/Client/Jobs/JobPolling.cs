using MossGrains.Grains.Jobs;

namespace MossGrains.Client.Jobs;

/// <summary>Waits for a job to finish by reading its status, backing off from 100 ms to 2 s between reads.</summary>
internal static class JobPolling
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>Reads until finished; errors <paramref name="transient"/> accepts (a silo failing over) are ridden out by reading again after the delay.</summary>
    public static async Task<JobStatus> WaitAsync(Func<Task<JobStatus>> read, Func<Exception, bool> transient, TimeProvider time, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                var status = await read();
                if (status.IsFinished)
                {
                    return status;
                }
            }
            catch (Exception e) when (transient(e) && !cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
        }
    }
}
