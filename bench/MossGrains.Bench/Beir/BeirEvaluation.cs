using System.Diagnostics;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;

namespace MossGrains.Bench.Beir;

/// <summary>
/// <c>beir &lt;dir&gt; [model id]</c>: indexes title + " " + text of every corpus document in a session, runs
/// every test query at alpha 0, 0.5, the model default and 1 (top 100) and prints nDCG@10 and recall@100
/// per alpha, then <c>default nDCG@10=…</c> last.
/// </summary>
internal static class BeirEvaluation
{
    public static async Task<int> RunAsync(string directory, string modelId, IReadOnlyList<float> extraAlphas)
    {
        var data = BeirDataset.Load(directory);
        var embedder = BenchPaths.Catalog.Resolve(modelId);
        var index = new SessionIndex(Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)), embedder);
        var clock = Stopwatch.StartNew();
        foreach (var chunk in data.Corpus.Chunk(1000))
        {
            await index.AddDocsAsync(chunk.Select(d => new DocumentInfo(d.Id, d.IndexedText)));
        }

        await index.CompleteBackgroundIndexingAsync();
        Console.WriteLine($"split {BeirDataset.Split}: {data.Qrels.Count} judged queries");
        Console.WriteLine($"indexed {index.DocCount} docs with {index.ModelId} in {clock.Elapsed.TotalSeconds:F1} s; default alpha {index.DefaultAlpha}");
        var queries = data.TestQueries().ToList();
        float defaultAlpha = index.DefaultAlpha;
        double defaultNdcg = 0;
        foreach (float alpha in new[] { 0f, 0.5f, defaultAlpha, 1f }.Concat(extraAlphas))
        {
            double ndcg = 0, recall = 0;
            foreach (var (id, text) in queries)
            {
                var result = await index.QueryAsync(text, new QueryOptions { TopK = 100, Alpha = alpha });
                var ranked = result.Docs.Select(d => d.Id).ToList();
                ndcg += RankingMetrics.NdcgAt(10, ranked, data.Qrels[id]);
                recall += RankingMetrics.RecallAt(100, ranked, data.Qrels[id]);
            }

            ndcg /= queries.Count;
            recall /= queries.Count;
            if (alpha == defaultAlpha)
            {
                defaultNdcg = ndcg;
            }

            Console.WriteLine($"alpha={alpha:0.###} nDCG@10={ndcg:F4} recall@100={recall:F4}");
        }

        Console.WriteLine($"default nDCG@10={defaultNdcg:F4}");
        return 0;
    }
}
