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
            var recalls = candidates.Select(c => Sweep(c, queries, truth, defaults.HnswEfSearch)).ToArray();
            CompareAtMatchedRecall(candidates, recalls, queries, truth, defaults.HnswEfSearch);
        }
        finally
        {
            foreach (var candidate in candidates)
            {
                candidate.Dispose();
            }
        }
    }

    /// <summary>Prints recall and one round's latency per ef; returns the recall reached at each ef of <see cref="EfSweep"/>.</summary>
    private static double[] Sweep(AnnCandidate candidate, float[][] queries, HashSet<int>[] truth, int ourDefaultEf)
    {
        Console.WriteLine($"-- {candidate.Name}: ef (expansion_search) sweep");
        candidate.Ef = EfSweep[0];
        Measure(candidate, queries, truth);
        var recalls = new double[EfSweep.Length];
        for (int i = 0; i < EfSweep.Length; i++)
        {
            candidate.Ef = EfSweep[i];
            var (recall, times) = Measure(candidate, queries, truth);
            recalls[i] = recall;
            string mark = EfSweep[i] == ourDefaultEf ? " (the engine's HnswEfSearch)" : string.Empty;
            Console.WriteLine($"   ef={EfSweep[i],3}: recall@{K}={recall:F4}  {BenchReport.Summary(times)}{mark}");
        }

        return recalls;
    }

    /// <summary>
    /// Each peer against ours at the smallest ef where both reach the recall target, or, for a peer that never reaches
    /// it (i8: quantization error), the best recall that peer reaches. Timed in interleaved rounds, ours at the engine's
    /// own ef included for reference.
    /// </summary>
    private static void CompareAtMatchedRecall(AnnCandidate[] candidates, double[][] recalls, float[][] queries, HashSet<int>[] truth, int ourDefaultEf)
    {
        var runs = new List<(AnnCandidate Candidate, int Ef)> { (candidates[0], ourDefaultEf) };
        var pairs = new List<(int Ours, int Theirs, double Target)>();
        for (int peer = 1; peer < candidates.Length; peer++)
        {
            double target = Math.Min(RecallTarget, recalls[peer].Max());
            if (target < RecallTarget)
            {
                Console.WriteLine($"{candidates[peer].Name} never reaches recall@{K} {RecallTarget} (best {target:F4}): compared with ours at recall ≥ {target:F4}");
            }

            pairs.Add((RunOf(candidates[0], SmallestEf(recalls[0], target)), RunOf(candidates[peer], SmallestEf(recalls[peer], target)), target));
        }

        var samples = runs.Select(_ => new List<double>()).ToArray();
        var measured = new double[runs.Count];
        for (int round = 0; round < MatchedRounds; round++)
        {
            for (int r = 0; r < runs.Count; r++)
            {
                runs[r].Candidate.Ef = runs[r].Ef;
                var (recall, times) = Measure(runs[r].Candidate, queries, truth);
                measured[r] = recall;
                samples[r].AddRange(times);
            }
        }

        Console.WriteLine($"-- {MatchedRounds} interleaved rounds of {queries.Length} queries each:");
        var sorted = samples.Select(s => s.Order().ToArray()).ToArray();
        for (int r = 0; r < runs.Count; r++)
        {
            Console.WriteLine($"   {runs[r].Candidate.Name}, ef {runs[r].Ef}: recall@{K}={measured[r]:F4}  {BenchReport.Summary(sorted[r])}");
        }

        foreach (var (o, t, target) in pairs)
        {
            var (ours, peer) = (runs[o].Candidate, runs[t].Candidate);
            Console.WriteLine(
                $"ratio ours/{peer.Name} at recall@{K} ≥ {target:F4} (ef {runs[o].Ef} / {runs[t].Ef}): query p50 {Ratio(sorted[o], sorted[t], 50):F2}, p99 {Ratio(sorted[o], sorted[t], 99):F2}, " +
                $"build time {ours.BuildSeconds / peer.BuildSeconds:F2}, memory {(double)ours.Memory.Bytes / peer.Memory.Bytes:F2}");
        }

        int RunOf(AnnCandidate candidate, int ef)
        {
            int index = runs.IndexOf((candidate, ef));
            if (index < 0)
            {
                runs.Add((candidate, ef));
                index = runs.Count - 1;
            }

            return index;
        }
    }

    private static int SmallestEf(double[] recalls, double target) => EfSweep[Array.FindIndex(recalls, r => r >= target)];

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
