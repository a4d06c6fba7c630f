using System.Diagnostics;

namespace MossGrains.Bench.Cluster;

/// <summary>Queries/s of concurrent callers, each in its own loop for the same window: the cluster benchmarks' 1-vs-8-clients runs.</summary>
internal static class QueryThroughput
{
    /// <summary>Every caller runs <paramref name="query"/> back to back until <paramref name="window"/> ends, with its n-th call numbered <c>n + its index</c> (so callers spread over the query set).</summary>
    public static async Task<double> MeasureAsync<TCaller>(IReadOnlyList<TCaller> callers, Func<TCaller, int, Task> query, TimeSpan window)
    {
        var stop = Stopwatch.StartNew();
        var counts = await Task.WhenAll(callers.Select(async (caller, i) =>
        {
            long n = 0;
            while (stop.Elapsed < window)
            {
                await query(caller, (int)(n++ + i));
            }

            return n;
        }));
        return counts.Sum() / stop.Elapsed.TotalSeconds;
    }
}
