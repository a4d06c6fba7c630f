using System.Diagnostics;
using System.Numerics.Tensors;
using Cloud.Unum.USearch;
using MossGrains.Engine.Storage;
using MossGrains.Engine.Session;

namespace MossGrains.Bench.Peers;

/// <summary>
/// Our HNSW against USearch f32 and i8 on the same 100K × 384 vectors and query vectors: build time and memory,
/// then recall@10 against exact search and vector-search latency per search expansion (ef), then each at the
/// smallest ef reaching the recall target, timed in interleaved rounds (one thread, query embedding excluded).
/// </summary>
internal static class VectorPeers
{
    private const int K = 10;
    private const double RecallTarget = 0.98;
    private const int MatchedRounds = 10;
    private static readonly int[] EfSweep = [10, 16, 24, 32, 48, 64, 96, 128, 160, 256, 384, 512];

    public static void Run(float[] vectors, int dims, float[][] queries)
    {
        var truth = queries.Select(q => ExactTop(vectors, dims, q)).ToArray();
        Console.WriteLine($"ANN: {vectors.Length / dims} vectors × {dims}, {queries.Length} query vectors, recall@{K} against exact cosine search; one thread; M/connectivity 16 and efConstruction/expansion_add 200 for all (the engine's defaults)");
        var defaults = new SessionIndexOptions();
        AnnCandidate[] candidates =
        [
            new OurHnswCandidate(vectors, dims, defaults.HnswM, defaults.HnswEfConstruction),
            new USearchCandidate(vectors, dims, ScalarKind.Float32, defaults.HnswM, defaults.HnswEfConstruction),
            new USearchCandidate(vectors, dims, ScalarKind.Int8, defaults.HnswM, defaults.HnswEfConstruction),
        ];
        try
        {
            foreach (var candidate in candidates)
            {
                Console.WriteLine($"build {candidate.Name}: {candidate.BuildSeconds:F1} s, memory {candidate.Memory.Bytes / 1e6:F1} MB = {candidate.Memory.Bytes / (vectors.Length / dims / 1000.0) / 1e6:F3} MB per 1K vectors ({candidate.Memory.How})");
            }

            Console.WriteLine($"USearch {USearchCapabilities.Version()}, SIMD available: {USearchCapabilities.HardwareAccelerationAvailable()}");
            var chosen = new int[candidates.Length];
            for (int c = 0; c < candidates.Length; c++)
            {
                chosen[c] = Sweep(candidates[c], queries, truth, defaults.HnswEfSearch);
            }

            CompareAtMatchedRecall(candidates, chosen, queries, truth, defaults.HnswEfSearch);
        }
        finally
        {
            foreach (var candidate in candidates)
            {
                candidate.Dispose();
            }
        }
    }

    /// <summary>Prints recall and one round's latency per ef; returns the smallest ef reaching the target (else the largest tried).</summary>
    private static int Sweep(AnnCandidate candidate, float[][] queries, HashSet<int>[] truth, int ourDefaultEf)
    {
        Console.WriteLine($"-- {candidate.Name}: ef (expansion_search) sweep");
        candidate.Ef = EfSweep[0];
        Measure(candidate, queries, truth);
        int chosen = EfSweep[^1];
        foreach (int ef in EfSweep)
        {
            candidate.Ef = ef;
            var (recall, times) = Measure(candidate, queries, truth);
            string mark = ef == ourDefaultEf ? " (the engine's HnswEfSearch)" : string.Empty;
            Console.WriteLine($"   ef={ef,3}: recall@{K}={recall:F4}  {BenchReport.Summary(times)}{mark}");
            if (recall >= RecallTarget && chosen == EfSweep[^1])
            {
                chosen = ef;
            }
        }

        return chosen;
    }

    private static void CompareAtMatchedRecall(AnnCandidate[] candidates, int[] efs, float[][] queries, HashSet<int>[] truth, int ourDefaultEf)
    {
        // Ours twice: at its own smallest ef reaching the target, and at the ef the engine ships.
        var runs = candidates.Select((c, i) => (Candidate: c, Ef: efs[i])).Prepend((Candidate: candidates[0], Ef: ourDefaultEf)).ToArray();
        var samples = runs.Select(_ => new List<double>()).ToArray();
        var recalls = new double[runs.Length];
        for (int round = 0; round < MatchedRounds; round++)
        {
            for (int r = 0; r < runs.Length; r++)
            {
                runs[r].Candidate.Ef = runs[r].Ef;
                var (recall, times) = Measure(runs[r].Candidate, queries, truth);
                recalls[r] = recall;
                samples[r].AddRange(times);
            }
        }

        Console.WriteLine($"-- at matched recall (smallest ef with recall@{K} ≥ {RecallTarget}), {MatchedRounds} interleaved rounds of {queries.Length} queries each:");
        var sorted = samples.Select(s => s.Order().ToArray()).ToArray();
        for (int r = 0; r < runs.Length; r++)
        {
            Console.WriteLine($"   {runs[r].Candidate.Name}, ef {runs[r].Ef}: recall@{K}={recalls[r]:F4}  {BenchReport.Summary(sorted[r])}");
        }

        // runs[1] is ours at matched recall; runs[2] and runs[3] are USearch f32 and i8.
        for (int theirs = 2; theirs < runs.Length; theirs++)
        {
            var (ours, peer) = (runs[1].Candidate, runs[theirs].Candidate);
            Console.WriteLine(
                $"ratio ours/{peer.Name}: query p50 {Ratio(sorted[1], sorted[theirs], 50):F2}, p99 {Ratio(sorted[1], sorted[theirs], 99):F2}, " +
                $"build time {ours.BuildSeconds / peer.BuildSeconds:F2}, memory {(double)ours.Memory.Bytes / peer.Memory.Bytes:F2}, recall {recalls[1] / recalls[theirs]:F3}");
        }
    }

    private static double Ratio(double[] ours, double[] theirs, double percentile) =>
        BenchReport.Percentile(ours, percentile) / BenchReport.Percentile(theirs, percentile);

    private static (double Recall, double[] SortedMs) Measure(AnnCandidate candidate, float[][] queries, HashSet<int>[] truth)
    {
        double recall = 0;
        var times = new double[queries.Length];
        for (int q = 0; q < queries.Length; q++)
        {
            long started = Stopwatch.GetTimestamp();
            var found = candidate.Search(queries[q], K);
            times[q] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            recall += found.Count(truth[q].Contains) / (double)K;
        }

        Array.Sort(times);
        return (recall / queries.Length, times);
    }

    private static HashSet<int> ExactTop(float[] vectors, int dims, float[] query)
    {
        var top = new TopKCollector(K);
        for (int i = 0, n = vectors.Length / dims; i < n; i++)
        {
            top.Add(i, TensorPrimitives.Dot(query, vectors.AsSpan(i * dims, dims)));
        }

        return [.. top.ToSortedArray().Select(s => s.Slot)];
    }
}
