using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Grains;

/// <summary>A caller's bounded wait for a hydration shared by every caller: past the bound it hears "still loading", and the hydration goes on.</summary>
internal static class HydrationBound
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public static async Task<T> WaitAsync<T>(Task<T> hydration, string what, string key, TimeSpan bound, TimeProvider time, CancellationToken cancellationToken)
    {
        await WaitAsync((Task)hydration, what, key, bound, time, cancellationToken);
        return await hydration;
    }

    public static async Task WaitAsync(Task hydration, string what, string key, TimeSpan bound, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await hydration.WaitAsync(bound, time, cancellationToken);
        }
        catch (TimeoutException) when (!hydration.IsCompleted)
        {
            throw new HydrationPendingException(
                $"{what} '{key}' is still loading from the store after {bound.TotalSeconds:0.###} s " +
                $"(the wait is bounded by Moss:Sessions:{nameof(DurableSessionOptions.HydrationWait)}); it goes on loading: retry in {RetryAfter.TotalSeconds:0} s.",
                RetryAfter);
        }
    }
}
