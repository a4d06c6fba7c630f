using System.Diagnostics;
using System.Globalization;
using MossGrains.IndexStore.Versions;
using MossGrains.Bench.Beir;
using MossGrains.Bench.Latency;
using MossGrains.Client;
using MossGrains.Client.Cluster;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;

namespace MossGrains.Bench.Cluster;

/// <summary>
/// <c>cluster [corpus dir]</c>: sessions on Orleans against the in-process engine as the baseline, in one run, on
/// Azurite and three silo processes on loopback: query latency added by the cluster, queries/s with 1 and 8 clients,
/// AddDocs per durability mode, hydration of a 100K-chunk session, memory per idle session, and kill -9 failover with
/// the Fast membership profile and with Orleans' defaults.
/// </summary>
internal static class ClusterBenchmark
{
    private const int SessionChunks = 10_000;
    private const int HydrationChunks = 100_000;
    private const int QueryRounds = 60;
    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WarmupWindow = TimeSpan.FromSeconds(10);

    // What an agent would wait between retries; without it the failed-call count measures the loop, not the cluster.
    private static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(20);

    public static async Task<int> RunAsync(string directory)
    {
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        var data = BeirDataset.Load(directory);
        var chunks = SentenceChunkCorpus.Build(data, HydrationChunks);
        var queries = data.TestQueries().Select(q => q.Text).Where(q => q.Length <= 80).Take(15).ToArray();
        await using (var cluster = await StartAsync("Fast"))
        {
            var client = await cluster.ClientAsync(TimeSpan.FromSeconds(30), cluster.Silos[0]);
            await QueryLatencyAsync(client, chunks.Take(SessionChunks).ToList(), queries);
            await ThroughputAsync(cluster, queries);
            await AddDocsLatencyAsync(client);
            await HydrationAsync(cluster, client, chunks);
            await IdleSessionMemoryAsync(cluster, client);
            await FailoverAsync(cluster, "Fast");
        }

        await using (var defaults = await StartAsync("OrleansDefaults"))
        {
            await FailoverAsync(defaults, "OrleansDefaults");
        }

        return 0;
    }

    private static Task<LocalCluster> StartAsync(string failureDetection) => LocalCluster.StartAsync(3, settings: new Dictionary<string, string>
    {
        ["Moss:Silo:FailureDetection"] = failureDetection,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:MossGrains.Silo"] = "Information",
    });

    /// <summary>The same session content and queries in this process and through the cluster, interleaved round by round.</summary>
    private static async Task QueryLatencyAsync(IMossClient client, List<string> chunks, string[] queries)
    {
        var docs = chunks.Select((c, i) => new DocumentInfo($"c{i}", c)).ToArray();
        var local = new SessionIndex("baseline", EmbedderCatalog.Default.Resolve(EmbedderCatalog.DefaultAlias));
        var remote = await client.SessionAsync("bench-10k", new SessionOptions { Durability = SessionDurability.Ephemeral });
        foreach (var batch in docs.Chunk(500))
        {
            await local.AddDocsAsync(batch);
            await remote.AddDocsAsync(batch);
        }

        await local.CompleteBackgroundIndexingAsync();
        var options = new QueryOptions { TopK = 5, Alpha = 1 };

        // Warm up by time, not by count: the silo's JIT tier-up happens in the background and needs wall-clock time.
        var warmup = Stopwatch.StartNew();
        for (int n = 0; warmup.Elapsed < WarmupWindow; n++)
        {
            await local.QueryAsync(queries[n % queries.Length], options);
            await remote.QueryAsync(queries[n % queries.Length], options);
        }

        List<double> inProcess = [], viaCluster = [];
        for (int round = 0; round < QueryRounds; round++)
        {
            foreach (string query in queries)
            {
                long started = Stopwatch.GetTimestamp();
                await local.QueryAsync(query, options);
                double a = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                await remote.QueryAsync(query, options);
                double b = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                inProcess.Add(a);
                viaCluster.Add(b);
            }
        }

        double[] x = [.. inProcess.Order()], y = [.. viaCluster.Order()];
        Console.WriteLine($"query, {SessionChunks:N0} chunks, top_k 5, alpha 1, embedding included ({local.ModelId}):");
        Console.WriteLine($"  in-process        {BenchReport.Summary(x)}");
        Console.WriteLine($"  cluster (client)  {BenchReport.Summary(y)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  added by the cluster: p50 {BenchReport.Percentile(y, 50) - BenchReport.Percentile(x, 50):F3} ms, p99 {BenchReport.Percentile(y, 99) - BenchReport.Percentile(x, 99):F3} ms (targets ≤ 0.1 / ≤ 0.5)"));
    }

    /// <summary>Queries/s on one session with 1 client, then with 8 clients each on its own connection, for the same window.</summary>
    private static async Task ThroughputAsync(LocalCluster cluster, string[] queries)
    {
        async Task<double> RunAsync(int clients)
        {
            var connected = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => cluster.ClientAsync(TimeSpan.FromSeconds(30), cluster.Silos[i % cluster.Silos.Length])));
            var sessions = await Task.WhenAll(connected.Select(c => c.SessionAsync("bench-10k")));
            await Task.WhenAll(sessions.Select(s => s.QueryAsync(queries[0])));
            return await QueryThroughput.MeasureAsync(
                sessions, (s, n) => s.QueryAsync(queries[n % queries.Length], new QueryOptions { TopK = 5, Alpha = 1 }), ThroughputWindow);
        }

        double one = await RunAsync(1), eight = await RunAsync(8);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queries/s on one session: 1 client {one:F0}, 8 clients {eight:F0} = {eight / one:F2}x (target ≥ 1.7x on 2 cores)"));
    }

    private static async Task AddDocsLatencyAsync(IMossClient client)
    {
        Console.WriteLine("AddDocs, 10 short docs per call, through the cluster (index store: Azure Blob on Azurite):");
        foreach (var mode in Enum.GetValues<SessionDurability>())
        {
            var session = await client.SessionAsync($"bench-add-{mode.ToString().ToLowerInvariant()}", new SessionOptions { Durability = mode });
            var samples = new List<double>();
            for (int call = 0; call < 220; call++)
            {
                var batch = Enumerable.Range(call * 10, 10).Select(i => new DocumentInfo($"a{i}", $"short note {i} about the caller's order and refund"));
                long started = Stopwatch.GetTimestamp();
                await session.AddDocsAsync(batch);
                if (call >= 20)
                {
                    samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            Console.WriteLine($"  {mode,-12} {BenchReport.Summary([.. samples.Order()])}");
        }
    }

    /// <summary>A 100K-chunk, 384-d binary (custom vectors: hydration never embeds, so their origin does not matter) published to Azurite, then opened.</summary>
    private static async Task HydrationAsync(LocalCluster cluster, IMossClient client, List<string> chunks)
    {
        byte[] binary = await HydrationBinaryAsync(chunks);
        var store = cluster.IndexStore();
        await store.PublishAsync("default/bench-100k", binary, PublishPrecondition.None, CancellationToken.None);

        var started = Stopwatch.StartNew();
        var session = await client.SessionAsync("bench-100k");
        double seconds = started.Elapsed.TotalSeconds;
        int count = await session.GetDocCountAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hydration from Azurite: {count:N0} chunks, {binary.Length / 1e6:F1} MB binary, {seconds:F2} s from open to ready (target ≤ 2 s)"));
    }

    /// <summary>The 100K-chunk binary, built once (building its HNSW graph takes minutes) and kept under .native/bench/.</summary>
    private static async Task<byte[]> HydrationBinaryAsync(List<string> chunks)
    {
        string cache = Path.Combine(TestPaths.NativeDirectory, "bench", "hydration-100k-384d.mossidx");
        if (File.Exists(cache))
        {
            return await File.ReadAllBytesAsync(cache);
        }

        var random = new Random(42);
        var index = new SessionIndex("bench-100k", embedder: null);
        foreach (var batch in chunks.Select((c, i) => (c, i)).Chunk(5_000))
        {
            await index.AddDocsAsync(batch.Select(x => new DocumentInfo($"c{x.i}", x.c, null, RandomVector(random, 384))));
        }

        using var buffer = new MemoryStream();
        await index.SaveAsync(buffer);
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        await File.WriteAllBytesAsync(cache, buffer.ToArray());
        return buffer.ToArray();
    }

    private static async Task IdleSessionMemoryAsync(LocalCluster cluster, IMossClient client)
    {
        const int Sessions = 300;
        long before = cluster.Silos.Sum(s => ResidentBytes(s.Process.Id));
        for (int i = 0; i < Sessions; i++)
        {
            var session = await client.SessionAsync($"idle-{i}", new SessionOptions { Durability = SessionDurability.Ephemeral });
            await session.AddDocsAsync(Enumerable.Range(0, 50).Select(d => new DocumentInfo($"d{d}", $"note {d} of session {i}: the caller asked about delivery dates and refunds")));
        }

        long after = cluster.Silos.Sum(s => ResidentBytes(s.Process.Id));
        double perSession = (after - before) / (double)Sessions;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory per idle session with 50 docs: {perSession / 1024:F0} KiB (resident-set growth of the silos / {Sessions} sessions); 4 GiB holds about {4L * 1024 * 1024 * 1024 / perSession:N0}"));
    }

    /// <summary>kill -9 of the silo holding a session while a client keeps querying it through the survivors.</summary>
    private static async Task FailoverAsync(LocalCluster cluster, string profile)
    {
        var probe = await cluster.ClientAsync(TimeSpan.FromSeconds(30), cluster.Silos);
        var opened = await probe.SessionAsync("failover", new SessionOptions { Durability = SessionDurability.Acknowledged });
        await opened.AddDocsAsync([new DocumentInfo("a", "the session that outlives its silo")]);
        var host = cluster.HostOf((await opened.GetInfoAsync()).Silo);
        var client = await cluster.ClientAsync(TimeSpan.FromSeconds(2), [.. cluster.Silos.Where(s => s != host)]);
        var session = await client.SessionAsync("failover");
        await session.QueryAsync("session");

        var killed = Stopwatch.StartNew();
        host.Kill();
        double longest = 0;
        int failures = 0;
        while (true)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                await session.GetDocCountAsync();
                longest = Math.Max(longest, Stopwatch.GetElapsedTime(started).TotalSeconds);
                break;
            }
            catch (Exception e) when (e is not ArgumentException)
            {
                failures++;
                longest = Math.Max(longest, Stopwatch.GetElapsedTime(started).TotalSeconds);
                await Task.Delay(RetryBackoff);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill -9 → session answers on a survivor ({profile}): {killed.Elapsed.TotalSeconds:F2} s; {failures} failed calls (retried after 20 ms), the longest single call waited {longest:F2} s (2 s response timeout)"));
    }

    private static float[] RandomVector(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return vector;
    }

    private static long ResidentBytes(int pid)
    {
        string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
