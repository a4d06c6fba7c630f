using System.Diagnostics;
using System.Numerics.Tensors;
using MossGrains.Bench.Beir;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Storage;

namespace MossGrains.Bench.Latency;

/// <summary>
/// <c>ivf [corpus dir]</c>: the alternative the engine did not pick, measured on the same 100K chunks as
/// <c>latency</c>: IVF-flat (spherical k-means coarse quantizer, √N lists, full vectors in the lists).
/// Prints training time and, per nprobe, recall@10 against exact search and vector-search latency
/// (query embedding excluded, one thread) — once with centroids trained on a random sample of the whole
/// corpus, once trained on the first chunks only, as a session that trained early would have them.
/// </summary>
internal static class IvfFlatComparison
{
    private const int DocCount = 100_000;
    private const int TrainingSample = 20_000;
    private const int KMeansIterations = 10;
    private const int YoungSessionSample = 2_000;

    public static int Run(string directory)
    {
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        var data = BeirDataset.Load(directory);
        var chunks = SentenceChunkCorpus.Build(data, DocCount);
        var embedder = BenchPaths.Catalog.Resolve(EmbedderCatalog.DefaultAlias)!;
        var exact = new ExactRanking(embedder, chunks);
        int dims = exact.Dimensions;
        var vectors = exact.Vectors.ToArray();

        var queries = data.TestQueries().Select(q => q.Text).Take(100).ToArray();
        var truth = queries.Select(q => exact.Top(q, 10).ToHashSet()).ToArray();
        var queryVectors = queries.Select(q =>
        {
            var v = new float[dims];
            embedder.Embed([q], v, EmbeddingPurpose.Query);
            return v;
        }).ToArray();

        var random = new Random(42);
        var sample = Enumerable.Range(0, chunks.Count).OrderBy(_ => random.Next()).Take(TrainingSample).ToArray();
        Evaluate(vectors, dims, sample, $"trained on a random {TrainingSample}", queryVectors, truth);

        // A session that trained its centroids while young: the first chunks come from the first abstracts only.
        Evaluate(vectors, dims, [.. Enumerable.Range(0, YoungSessionSample)], $"trained on the first {YoungSessionSample} chunks", queryVectors, truth);

        return 0;
    }

    private static void Evaluate(float[] vectors, int dims, int[] sample, string training, float[][] queryVectors, HashSet<int>[] truth)
    {
        int count = vectors.Length / dims;
        int lists = (int)Math.Sqrt(count);
        var clock = Stopwatch.StartNew();
        var centroids = TrainCentroids(vectors, dims, lists, sample);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var members = new List<int>[lists];
        for (int c = 0; c < lists; c++)
        {
            members[c] = [];
        }

        for (int i = 0; i < count; i++)
        {
            members[Nearest(centroids, dims, vectors.AsSpan(i * dims, dims))].Add(i);
        }

        var listVectors = members.Select(m => m.SelectMany(i => vectors.AsSpan(i * dims, dims).ToArray()).ToArray()).ToArray();
        Console.WriteLine($"ivf-flat ({training}): {lists} lists, k-means × {KMeansIterations} iterations {trainSeconds:F1} s, assigning {count} vectors {clock.Elapsed.TotalSeconds:F1} s, largest list {members.Max(m => m.Count)}");
        var centroidScores = new float[lists];
        foreach (int nprobe in new[] { 8, 16, 32, 64 })
        {
            double recall = 0;
            var times = new List<double>();
            for (int round = 0; round < 6; round++)
            {
                for (int q = 0; q < queryVectors.Length; q++)
                {
                    long started = Stopwatch.GetTimestamp();
                    var top = Search(queryVectors[q], centroids, centroidScores, members, listVectors, dims, nprobe);
                    double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (round > 0)
                    {
                        times.Add(ms);
                    }
                    else
                    {
                        recall += top.Count(s => truth[q].Contains(s.Slot)) / 10.0;
                    }
                }
            }

            Console.WriteLine($"  nprobe={nprobe}: recall@10={recall / queryVectors.Length:F4} vector search p50={BenchReport.PercentileOf(times, 50):F3} ms p99={BenchReport.PercentileOf(times, 99):F3} ms");
        }
    }

    private static ScoredSlot[] Search(float[] query, float[] centroids, float[] centroidScores, List<int>[] members, float[][] listVectors, int dims, int nprobe)
    {
        for (int c = 0; c < centroidScores.Length; c++)
        {
            centroidScores[c] = TensorPrimitives.Dot(query, centroids.AsSpan(c * dims, dims));
        }

        var probes = new TopKCollector(nprobe);
        for (int c = 0; c < centroidScores.Length; c++)
        {
            probes.Add(c, centroidScores[c]);
        }

        var top = new TopKCollector(10);
        foreach (var probe in probes.ToSortedArray())
        {
            var rows = listVectors[probe.Slot];
            var ids = members[probe.Slot];
            for (int r = 0; r < ids.Count; r++)
            {
                top.Add(ids[r], TensorPrimitives.Dot(query, rows.AsSpan(r * dims, dims)));
            }
        }

        return top.ToSortedArray();
    }

    /// <summary>Spherical k-means (cosine) over the sample; centroids start at its first vectors.</summary>
    private static float[] TrainCentroids(float[] vectors, int dims, int lists, int[] sample)
    {
        var centroids = new float[lists * dims];
        for (int c = 0; c < lists; c++)
        {
            vectors.AsSpan(sample[c] * dims, dims).CopyTo(centroids.AsSpan(c * dims));
        }

        var sums = new float[lists * dims];
        for (int iteration = 0; iteration < KMeansIterations; iteration++)
        {
            Array.Clear(sums);
            foreach (int i in sample)
            {
                var row = vectors.AsSpan(i * dims, dims);
                var sum = sums.AsSpan(Nearest(centroids, dims, row) * dims, dims);
                TensorPrimitives.Add(sum, row, sum);
            }

            for (int c = 0; c < lists; c++)
            {
                var sum = sums.AsSpan(c * dims, dims);
                float norm = TensorPrimitives.Norm(sum);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(sum, norm, centroids.AsSpan(c * dims, dims)); // an empty list keeps its centroid
                }
            }
        }

        return centroids;
    }

    private static int Nearest(float[] centroids, int dims, ReadOnlySpan<float> row)
    {
        int best = 0;
        float bestScore = float.NegativeInfinity;
        for (int c = 0, n = centroids.Length / dims; c < n; c++)
        {
            float score = TensorPrimitives.Dot(row, centroids.AsSpan(c * dims, dims));
            if (score > bestScore)
            {
                (best, bestScore) = (c, score);
            }
        }

        return best;
    }
}
