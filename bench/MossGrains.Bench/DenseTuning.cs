using MossGrains.Bench.Beir;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Bench;

/// <summary>
/// <c>dense &lt;dir&gt; [a] [n]</c>: semantic-only BEIR evaluation of the static model by exact cosine,
/// with the SIF constant a and reference sentence length n overridable (how the shipped values were chosen).
/// </summary>
internal static class DenseTuning
{
    public static int Run(string directory, float? smoothing, float? sentenceLength)
    {
        var data = BeirDataset.Load(directory);
        var shipped = StaticVectorModelFile.Read(StaticWordEmbedder.GetModelPath(BenchPaths.Catalog.Options), StaticWordEmbedder.ModelId);
        var model = shipped;
        if (smoothing is not null || sentenceLength is not null)
        {
            float a = smoothing ?? shipped.Pooling.SifSmoothing;
            float n = sentenceLength ?? shipped.Pooling.ReferenceSentenceLength;
            float[]? component = n > 0 ? SifWeighting.CommonComponent(shipped, a, n) : null;
            model = new StaticVectorModel(shipped.ModelId, shipped.Source, [.. shipped.Words], shipped.Vectors, true, new StaticPooling(a, n, component, true));
        }

        using var embedder = StaticWordEmbedder.Create(model);
        var ranking = new ExactRanking(embedder, [.. data.Corpus.Select(d => d.IndexedText)]);
        double ndcg = 0, recall = 0;
        int count = 0;
        foreach (var (id, text) in data.TestQueries())
        {
            var (queryNdcg, queryRecall) = RankingMetrics.Score(id, ranking.Top(text, 101).Select(i => data.Corpus[i].Id), data.Qrels[id]);
            ndcg += queryNdcg;
            recall += queryRecall;
            count++;
        }

        Console.WriteLine($"dense a={model.Pooling.SifSmoothing:G3} n={model.Pooling.ReferenceSentenceLength:G3} component={(model.Pooling.CommonComponent is null ? "none" : "yes")} nDCG@10={ndcg / count:F4} recall@100={recall / count:F4}");
        return 0;
    }
}
