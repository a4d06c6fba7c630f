using MossGrains.Bench.Beir;
using MossGrains.Bench.Latency;
using MossGrains.Engine.Embedding;

namespace MossGrains.Bench.Peers;

/// <summary>
/// <c>peers [corpus dir] [model id] [all|vectors|keywords]</c>: the engine against two libraries in one process.
/// Vectors: our HNSW against USearch f32 and i8 on the 100K chunk vectors of <c>latency</c> (from the same
/// <see cref="VectorCache"/> file) and the corpus's test queries embedded by the model (<see cref="VectorPeers"/>).
/// Keywords: our BM25 against Lucene.Net's on the corpus itself (<see cref="KeywordPeers"/>).
/// Each comparison ends with a <c>ratio ours/…</c> line.
/// </summary>
internal static class PeersBenchmark
{
    private const int ChunkCount = 100_000;

    public static async Task<int> RunAsync(string directory, string modelId, string part)
    {
        if (part is not ("all" or "vectors" or "keywords"))
        {
            Console.Error.WriteLine($"peers: unknown part '{part}' (all, vectors or keywords)");
            return 2;
        }

        Console.WriteLine($"machine: {BenchReport.Machine()}");
        var data = BeirDataset.Load(directory);
        if (part is "all" or "vectors")
        {
            var embedder = BenchPaths.Catalog.Resolve(modelId)
                ?? throw new ArgumentException($"peers needs a model that embeds text; '{modelId}' does not.", nameof(modelId));
            var vectors = VectorCache.Load(embedder, SentenceChunkCorpus.Build(data, ChunkCount));
            int dims = embedder.Info.Dimensions;
            var queries = data.TestQueries().Select(q =>
            {
                var vector = new float[dims];
                embedder.Embed([q.Text], vector, EmbeddingPurpose.Query);
                return vector;
            }).ToArray();
            VectorPeers.Run(vectors, dims, queries);
        }

        if (part is "all" or "keywords")
        {
            await KeywordPeers.RunAsync(data, Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)));
        }

        return 0;
    }
}
