using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MossGrains.Bench.Beir;
using MossGrains.Bench.Latency;
using MossGrains.Client;
using MossGrains.Client.Indexes;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.IndexStore.Versions;
using MossGrains.Testing;

namespace MossGrains.Bench.Cluster;

/// <summary>
/// <c>indexes [corpus dir]</c>: loaded indexes and mutation jobs on Azurite and three silo processes on loopback: job
/// throughput (1K and 10K-doc jobs), queries/s on one hot index with 1 and 8 clients (forwarded to the index grain, and
/// served by a replica on every silo), the query latency seen while versions are swapped against none, and the time from
/// a publish (and from a job's completion) to every silo's replica serving the new version.
/// </summary>
internal static class IndexBenchmark
{
    private const string Hot = "catalog";
    private const int HotChunks = 10_000;
    private const int Swaps = 8;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string directory)
    {
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        var data = BeirDataset.Load(directory);
        var chunks = SentenceChunkCorpus.Build(data, HotChunks + 1_000);
        var queries = data.TestQueries().Select(q => q.Text).Where(q => q.Length <= 80).Take(15).ToArray();
        await using var cluster = await LocalCluster.StartAsync(3, settings: new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MossGrains.Silo"] = "Information",
        });
        var clients = await Task.WhenAll(cluster.Silos.Select(s => cluster.ClientAsync(CallTimeout, s)));

        await JobThroughputAsync(clients[0], "jobs-1k", chunks.Skip(HotChunks).Take(1_000).ToList());
        await JobThroughputAsync(clients[0], Hot, chunks.Take(HotChunks).ToList());

        await clients[0].LoadIndexAsync(Hot, new LoadIndexOptions { AutoRefresh = true, PollingInterval = TimeSpan.FromSeconds(10) });
        await ThroughputAsync(cluster, queries, "forwarded to the index grain");
        await clients[0].LoadIndexAsync(Hot, new LoadIndexOptions { AutoRefresh = true, PollingInterval = TimeSpan.FromSeconds(10), ServeFromEverySilo = true });
        await ThroughputAsync(cluster, queries, "a replica on every silo");

        await SwapAsync(cluster, clients, queries);
        await JobConvergenceAsync(clients);
        return 0;
    }

    /// <summary>A job of <paramref name="texts"/>, against the same documents added to an in-process index just before (the baseline).</summary>
    private static async Task JobThroughputAsync(IMossClient client, string index, List<string> texts)
    {
        var docs = texts.Select((t, i) => new DocumentInfo($"c{i}", t, new Dictionary<string, string> { ["version"] = "base" })).ToArray();
        var local = new SessionIndex("baseline", EmbedderCatalog.Default.Resolve(EmbedderCatalog.DefaultAlias));
        var baseline = Stopwatch.StartNew();
        await local.AddDocsAsync(docs);
        baseline.Stop();

        var clock = Stopwatch.StartNew();
        string job = await client.AddDocsAsync(index, docs);
        var acknowledged = clock.Elapsed;
        var status = await client.WaitForJobAsync(job);
        if (status.State != JobState.Completed)
        {
            throw new InvalidOperationException($"job {job} ended {JobStatusNames.Of(status.State)}: {status.Error}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"job of {docs.Length:N0} docs (default model, ~{texts.Average(t => t.Length):F0} chars each): acknowledged in {acknowledged.TotalSeconds:F2} s, completed in {clock.Elapsed.TotalSeconds:F1} s = {docs.Length / clock.Elapsed.TotalSeconds:F0} docs/s; in-process AddDocs of the same docs {docs.Length / baseline.Elapsed.TotalSeconds:F0} docs/s"));
    }

    /// <summary>Queries/s with 1 client, then with 8 clients spread over the three gateways, each for the same window after a warm-up.</summary>
    private static async Task ThroughputAsync(LocalCluster cluster, string[] queries, string route)
    {
        async Task<double> RunAsync(int count)
        {
            var connected = await Task.WhenAll(Enumerable.Range(0, count).Select(i => cluster.ClientAsync(CallTimeout, cluster.Silos[i % cluster.Silos.Length])));
            var options = new QueryOptions { TopK = 5, Alpha = 1 };
            var warmup = Stopwatch.StartNew();
            await Task.WhenAll(connected.Select(async c =>
            {
                while (warmup.Elapsed < TimeSpan.FromSeconds(5))
                {
                    await c.QueryIndexAsync(Hot, queries[0], options);
                }
            }));

            return await QueryThroughput.MeasureAsync(connected, (c, n) => c.QueryIndexAsync(Hot, queries[n % queries.Length], options), Window);
        }

        double one = await RunAsync(1), eight = await RunAsync(8);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queries/s on one {HotChunks:N0}-chunk index, {route}: 1 client {one:F0}, 8 clients {eight:F0} = {eight / one:F2}x"));
    }

    /// <summary>
    /// Four query loops (spread over the gateways) run a quiet window, then a window in which <see cref="Swaps"/> versions,
    /// built beforehand in this process, are published straight to the store and each reloaded at once
    /// (<c>LoadIndexAsync</c> on the loaded index); so the silos do nothing but download, verify and swap, and what the
    /// queries see is the swap itself. The time from each publish to every gateway answering with it is recorded too.
    /// </summary>
    private static async Task SwapAsync(LocalCluster cluster, IMossClient[] clients, string[] queries)
    {
        var store = cluster.IndexStore();
        string key = IndexKey.For(IndexKey.DefaultProject, Hot);
        var index = await StoredIndexLoader.LoadAsync(
            store, key, (await store.GetLatestAsync(key, default))!, EmbedderCatalog.Default, new SessionIndexOptions(), null, default);
        var binaries = new List<byte[]>();
        for (int v = 1; v <= Swaps; v++)
        {
            await index.AddDocsAsync([Marker($"swap{v}")]);
            using var buffer = new MemoryStream();
            await index.SaveAsync(buffer);
            binaries.Add(buffer.ToArray());
        }

        var quiet = await QueryLoopsAsync(clients, queries, () => Task.Delay(Window));
        var visible = new List<double>();
        var swapping = await QueryLoopsAsync(clients, queries, async () =>
        {
            for (int v = 1; v <= Swaps; v++)
            {
                var published = Stopwatch.StartNew();
                await store.PublishAsync(key, binaries[v - 1], PublishPrecondition.None, default);
                await clients[0].LoadIndexAsync(Hot);
                await UntilEveryGatewayServesAsync(clients, $"swap{v}");
                visible.Add(published.Elapsed.TotalMilliseconds);
            }
        });

        Console.WriteLine($"query latency, {HotChunks:N0}-chunk index on every silo, 4 loops over 3 gateways, top_k 5, alpha 1:");
        Console.WriteLine($"  no swaps               {BenchReport.Summary(quiet.Latencies)} max {quiet.Latencies[^1]:F2} ms, {quiet.Failures} failed");
        Console.WriteLine($"  {Swaps} versions swapped    {BenchReport.Summary(swapping.Latencies)} max {swapping.Latencies[^1]:F2} ms, {swapping.Failures} failed");
        Console.WriteLine($"publish + reload → every silo's replica serving it: {BenchReport.Summary([.. visible.Order()])} max {visible.Max():F0} ms");
    }

    /// <summary>The time from a job's completion to every gateway's replica serving its version (the job tells the index grain at once; replicas follow it).</summary>
    private static async Task JobConvergenceAsync(IMossClient[] clients)
    {
        var converged = new List<double>();
        for (int v = 1; v <= Swaps; v++)
        {
            var status = await clients[0].WaitForJobAsync(await clients[0].AddDocsAsync(Hot, [Marker($"job{v}")]));
            if (status.State != JobState.Completed)
            {
                throw new InvalidOperationException($"job {v} ended {JobStatusNames.Of(status.State)}: {status.Error}");
            }

            var completed = Stopwatch.StartNew();
            await UntilEveryGatewayServesAsync(clients, $"job{v}");
            converged.Add(completed.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"job completed → every silo's replica serving it: {BenchReport.Summary([.. converged.Order()])} max {converged.Max():F0} ms");
    }

    private static DocumentInfo Marker(string tag) => new("marker", "marker document", new Dictionary<string, string> { ["version"] = tag });

    private static async Task UntilEveryGatewayServesAsync(IMossClient[] clients, string tag)
    {
        var marker = new QueryOptions { TopK = 1, Alpha = 0, Filter = Filter.Field("version").Eq(tag) };
        foreach (var client in clients)
        {
            while ((await client.QueryIndexAsync(Hot, "marker", marker)).Docs.Count == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }
    }

    private static async Task<(double[] Latencies, int Failures)> QueryLoopsAsync(IMossClient[] clients, string[] queries, Func<Task> during)
    {
        using var stop = new CancellationTokenSource();
        var latencies = new ConcurrentBag<double>();
        int failures = 0;
        var loops = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var options = new QueryOptions { TopK = 5, Alpha = 1 };
            for (int n = i; !stop.IsCancellationRequested; n++)
            {
                long started = Stopwatch.GetTimestamp();
                try
                {
                    await clients[i % clients.Length].QueryIndexAsync(Hot, queries[n % queries.Length], options);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        await during();
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return ([.. latencies.Order()], failures);
    }
}
