using System.Diagnostics;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;

namespace MossGrains.Bench.Beir;

/// <summary>
/// <c>beir &lt;dir&gt; [model id]</c>: indexes title + " " + text of every corpus document in a session, runs
/// every test query at alpha 0, 0.5, the model default and 1 (top 100) and prints nDCG@10 and recall@100
/// per alpha, then <c>default nDCG@10=…</c> last. As BEIR's own evaluator does, a retrieved document whose id
/// equals the query's id is ignored (some BEIR sets put the query's own text in the corpus). Env
/// <c>MOSS_BEIR_SPLIT=train</c> scores the train qrels instead (where default alphas are chosen).
/// </summary>
internal static class BeirEvaluation
{
    public static async Task<int> RunAsync(string directory, string modelId, IReadOnlyList<float> extraAlphas)
    {
        var data = BeirDataset.Load(directory);
        var embedder = BenchPaths.Catalog.Resolve(modelId);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var clock = Stopwatch.StartNew();
        var index = embedder is null ? new SessionIndex(name, null) : await IndexWithCachedVectorsAsync(name, embedder, data.Corpus);

        await index.CompleteBackgroundIndexingAsync();
        Console.WriteLine($"split {BeirDataset.Split}: {data.Qrels.Count} judged queries");
        Console.WriteLine($"indexed {index.DocCount} docs with {index.ModelId} in {clock.Elapsed.TotalSeconds:F1} s; default alpha {index.DefaultAlpha}");
        var queries = data.TestQueries().ToList();
        float defaultAlpha = index.DefaultAlpha;
        double defaultNdcg = 0;
        foreach (float alpha in new[] { 0f, 0.5f, defaultAlpha, 1f }.Concat(extraAlphas).Distinct())
        {
            double ndcg = 0, recall = 0;
            foreach (var (id, text) in queries)
            {
                var result = await index.QueryAsync(text, new QueryOptions { TopK = 101, Alpha = alpha });
                var (queryNdcg, queryRecall) = RankingMetrics.Score(id, result.Docs.Select(d => d.Id), data.Qrels[id]);
                ndcg += queryNdcg;
                recall += queryRecall;
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

    /// <summary>
    /// The corpus indexed with document vectors from <see cref="VectorCache"/> (embedded once per model and corpus),
    /// so that scoring the train and the test split, or re-running, does not re-embed it. Queries are embedded by the model.
    /// </summary>
    private static async Task<SessionIndex> IndexWithCachedVectorsAsync(string name, ITextEmbedder embedder, IReadOnlyList<BeirDocument> corpus)
    {
        var vectors = VectorCache.Load(embedder, [.. corpus.Select(d => d.IndexedText)]);
        int dims = embedder.Info.Dimensions;
        var index = new SessionIndex(name, embedder, new SessionIndexOptions { AllowCallerEmbeddings = true });
        for (int start = 0; start < corpus.Count; start += 1000)
        {
            await index.AddDocsAsync(Enumerable.Range(start, Math.Min(1000, corpus.Count - start))
                .Select(i => new DocumentInfo(corpus[i].Id, corpus[i].IndexedText, Embedding: vectors.AsSpan(i * dims, dims).ToArray())));
        }

        return index;
    }
}
