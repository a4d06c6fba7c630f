using System.Diagnostics;
using MossGrains.Bench.Beir;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;

namespace MossGrains.Bench.Latency;

/// <summary>
/// <c>latency [corpus dir] [model id]</c>: the shape of Moss's published benchmark — 100,000 chunks, 15 short queries,
/// TopK 5, Alpha 1, 3 warm-up rounds then 50 measured rounds, query embedding included, one thread — plus AddDocs
/// latency, index build throughput, snapshot save/load, memory per 1K docs and ANN recall@10 against exact search.
/// The 100K chunk vectors are embedded once and cached on disk (<see cref="VectorCache"/>); the index is built
/// from them, and every query is embedded by the model as in production.
/// </summary>
internal static class LatencyBenchmark
{
    private const int DocCount = 100_000;
    private const int QueryCount = 15;
    private const int WarmupRounds = 3;
    private const int MeasuredRounds = 50;

    public static async Task<int> RunAsync(string directory, string modelId)
    {
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        var data = BeirDataset.Load(directory);
        var chunks = SentenceChunkCorpus.Build(data, DocCount);
        long loadStarted = Stopwatch.GetTimestamp();
        var embedder = BenchPaths.Catalog.Resolve(modelId)!;
        Console.WriteLine($"model load: {Stopwatch.GetElapsedTime(loadStarted).TotalMilliseconds:F0} ms (first call in the process: read and verify the model, quantize it for int8, vocabulary, ONNX Runtime session)");
        Console.WriteLine($"corpus: {chunks.Count} unique sentence/window chunks from {data.Corpus.Count} {Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))} abstracts, mean {chunks.Average(c => c.Length):F0} chars; model {embedder.Info.ModelId}");

        var vectors = VectorCache.Load(embedder, chunks);
        int dims = embedder.Info.Dimensions;
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var index = new SessionIndex("latency", embedder, new SessionIndexOptions { AllowCallerEmbeddings = true });
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < chunks.Count; start += 1000)
        {
            await index.AddDocsAsync(Enumerable.Range(start, Math.Min(1000, chunks.Count - start))
                .Select(i => new DocumentInfo($"c{i}", chunks[i], Embedding: vectors.AsSpan(i * dims, dims).ToArray())));
        }

        double acceptedSeconds = clock.Elapsed.TotalSeconds;
        await index.CompleteBackgroundIndexingAsync();
        double ingestSeconds = clock.Elapsed.TotalSeconds;
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"index build: {index.DocCount} docs in {ingestSeconds:F1} s = {index.DocCount / ingestSeconds:F0} docs/s fully indexed (AddDocs returned after {acceptedSeconds:F1} s; batches of 1000 with their cached vectors)");
        Console.WriteLine($"memory per 1K docs: {(memoryAfter - memoryBefore) / (index.DocCount / 1000.0) / 1e6:F2} MB (managed heap growth / docs)");

        var queries = data.TestQueries().Select(q => q.Text).Where(q => q.Length <= 80).Take(QueryCount).ToArray();
        var queryOptions = new QueryOptions { TopK = 5, Alpha = 1 };
        for (int round = 0; round < WarmupRounds; round++)
        {
            foreach (var query in queries)
            {
                await index.QueryAsync(query, queryOptions);
            }
        }

        var queryTimes = new List<double>(MeasuredRounds * queries.Length);
        for (int round = 0; round < MeasuredRounds; round++)
        {
            foreach (var query in queries)
            {
                long started = Stopwatch.GetTimestamp();
                await index.QueryAsync(query, queryOptions);
                queryTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        MeasureEmbedding(embedder, queries);
        await MeasureAnnRecallAsync(index, new ExactRanking(embedder, vectors), chunks.Count, data);
        await MeasureAddDocsAsync(index, chunks);
        await MeasureSnapshotAsync(index, embedder);
        Console.WriteLine($"queries: {queries.Length} short SciFact queries × {MeasuredRounds} rounds after {WarmupRounds} warm-up, TopK 5, Alpha 1, one thread");
        Console.WriteLine($"query p50={BenchReport.PercentileOf(queryTimes, 50):F3} p95={BenchReport.PercentileOf(queryTimes, 95):F3} p99={BenchReport.PercentileOf(queryTimes, 99):F3}");
        return 0;
    }

    private static void MeasureEmbedding(ITextEmbedder embedder, string[] queries)
    {
        var vector = new float[embedder.Info.Dimensions];
        var times = new List<double>();
        for (int round = 0; round < 300; round++)
        {
            foreach (var query in queries)
            {
                long started = Stopwatch.GetTimestamp();
                embedder.Embed([query], vector, EmbeddingPurpose.Query);
                if (round >= 50)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                }
            }
        }

        double words = queries.Average(q => q.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Console.WriteLine($"query embedding alone ({words:F1} words on average): p50={BenchReport.PercentileOf(times, 50):F1} µs p99={BenchReport.PercentileOf(times, 99):F1} µs");
    }

    /// <summary>
    /// AddDocs latency with the background linker running (as in production), then for batches of 10 once more with
    /// linking completed between batches, outside the timed region, to show what the linker's CPU use costs a write.
    /// </summary>
    private static async Task MeasureAddDocsAsync(SessionIndex index, List<string> chunks)
    {
        foreach (var (batchSize, linkerIdle) in new[] { (1, false), (10, false), (10, true) })
        {
            var times = new List<double>();
            var gcPauseBefore = GC.GetTotalPauseDuration();
            int gen0Before = GC.CollectionCount(0), gen2Before = GC.CollectionCount(2);
            long allocatedBefore = GC.GetTotalAllocatedBytes();
            for (int round = 0; round < 20 + 200; round++)
            {
                var batch = Enumerable.Range(0, batchSize)
                    .Select(k => new DocumentInfo($"add-{batchSize}-{linkerIdle}-{round}-{k}", chunks[((round * batchSize) + k) % chunks.Count]))
                    .ToArray();
                if (linkerIdle)
                {
                    await index.CompleteBackgroundIndexingAsync();
                }

                long started = Stopwatch.GetTimestamp();
                await index.AddDocsAsync(batch);
                if (round >= 20)
                {
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            string mode = linkerIdle ? ", linker idle: linking awaited between batches" : string.Empty;
            Console.WriteLine($"AddDocs batch={batchSize} (short docs, into {index.DocCount} docs{mode}): p50={BenchReport.PercentileOf(times, 50):F3} ms p99={BenchReport.PercentileOf(times, 99):F3} ms");
            Console.WriteLine(
                $"  GC during the run: {GC.CollectionCount(0) - gen0Before} gen0 / {GC.CollectionCount(2) - gen2Before} gen2 collections, {(GC.GetTotalPauseDuration() - gcPauseBefore).TotalMilliseconds:F0} ms paused, " +
                $"{(GC.GetTotalAllocatedBytes() - allocatedBefore) / 220.0 / 1024:F0} KB allocated per batch (all threads, linker included)");

            // AddDocs returns before its vectors are linked into the HNSW graph (queries scan them exactly meanwhile).
            int unlinked = index.UnlinkedCount;
            long linkStarted = Stopwatch.GetTimestamp();
            await index.CompleteBackgroundIndexingAsync();
            Console.WriteLine($"  background HNSW linking: {unlinked} vectors still unlinked after the last AddDocs, linked {Stopwatch.GetElapsedTime(linkStarted).TotalMilliseconds:F0} ms later");
        }
    }

    private static async Task MeasureSnapshotAsync(SessionIndex index, ITextEmbedder embedder)
    {
        await index.CompleteBackgroundIndexingAsync();
        string path = Path.Combine(BenchPaths.Native, "bench", "latency-100k.mossidx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var clock = Stopwatch.StartNew();
        await using (var file = File.Create(path))
        {
            await index.SaveAsync(file);
        }

        double saveMs = clock.Elapsed.TotalMilliseconds;
        var reloaded = new SessionIndex("latency-reloaded", embedder);
        clock.Restart();
        await using (var file = File.OpenRead(path))
        {
            await reloaded.LoadAsync(file);
        }

        double loadMs = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine($"snapshot: save {saveMs:F0} ms, load {loadMs:F0} ms, {new FileInfo(path).Length / 1e6:F1} MB, {reloaded.DocCount} docs");
        File.Delete(path);
    }

    private static async Task MeasureAnnRecallAsync(SessionIndex index, ExactRanking ranking, int chunkCount, BeirDataset data)
    {
        var queries = data.TestQueries().Select(q => q.Text).Take(100).ToArray();
        double recall = 0;
        foreach (var text in queries)
        {
            var exact = ranking.Top(text, 10).Select(i => $"c{i}").ToHashSet();
            var approximate = await index.QueryAsync(text, new QueryOptions { TopK = 10, Alpha = 1 });
            recall += approximate.Docs.Count(d => exact.Contains(d.Id)) / 10.0;
        }

        Console.WriteLine($"ANN recall@10 vs exact: {recall / queries.Length:F4} ({queries.Length} SciFact queries, {chunkCount} docs)");
    }
}
