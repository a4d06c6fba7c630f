using System.Diagnostics;
using MossGrains.Bench.Beir;
using MossGrains.Engine.Session;

namespace MossGrains.Bench.Peers;

/// <summary>
/// Our BM25 (a keyword-only <see cref="SessionIndex"/>, queries at alpha 0) against Lucene.Net's on a BEIR corpus:
/// nDCG@10 and recall@100 scored as <c>beir</c> scores them, then query latency (top 10, analysis included, ids
/// returned) in interleaved rounds on one thread.
/// </summary>
internal static class KeywordPeers
{
    private const int Rounds = 10;

    public static async Task RunAsync(BeirDataset data, string name)
    {
        var options = new SessionIndexOptions();
        var clock = Stopwatch.StartNew();
        // Custom mode (no model) with a one-dimension placeholder vector per document: queries at alpha 0 run BM25 alone.
        var ours = new SessionIndex(name, null, options);
        float[] placeholder = [1f];
        for (int start = 0; start < data.Corpus.Count; start += 1000)
        {
            await ours.AddDocsAsync(data.Corpus.Skip(start).Take(1000).Select(d => new DocumentInfo(d.Id, d.IndexedText, Embedding: placeholder)));
        }

        double oursSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using var lucene = new LuceneBm25Index(data.Corpus, options.Bm25K1, options.Bm25B);
        double luceneSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"BM25: {data.Corpus.Count} {name} documents indexed: ours {oursSeconds:F2} s, Lucene.Net {luceneSeconds:F2} s (k1 {options.Bm25K1}, b {options.Bm25B} for both)");

        var queries = data.TestQueries().ToList();
        var keywordOnly = new QueryOptions { TopK = 101, Alpha = 0 };
        double oursNdcg = 0, oursRecall = 0, luceneNdcg = 0, luceneRecall = 0;
        foreach (var (id, text) in queries)
        {
            var (ndcg, recall) = RankingMetrics.Score(id, (await ours.QueryAsync(text, keywordOnly)).Docs.Select(d => d.Id), data.Qrels[id]);
            (oursNdcg, oursRecall) = (oursNdcg + ndcg, oursRecall + recall);
            (ndcg, recall) = RankingMetrics.Score(id, lucene.Search(text, 101), data.Qrels[id]);
            (luceneNdcg, luceneRecall) = (luceneNdcg + ndcg, luceneRecall + recall);
        }

        int n = queries.Count;
        Console.WriteLine($"   ours:       nDCG@10={oursNdcg / n:F4} recall@100={oursRecall / n:F4} ({n} {BeirDataset.Split} queries)");
        Console.WriteLine($"   Lucene.Net: nDCG@10={luceneNdcg / n:F4} recall@100={luceneRecall / n:F4}");

        var top10 = new QueryOptions { TopK = 10, Alpha = 0 };
        var oursTimes = new List<double>();
        var luceneTimes = new List<double>();
        for (int round = -1; round < Rounds; round++)
        {
            foreach (var (_, text) in queries)
            {
                long started = Stopwatch.GetTimestamp();
                await ours.QueryAsync(text, top10);
                double oursMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                lucene.Search(text, 10);
                double luceneMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (round >= 0)
                {
                    oursTimes.Add(oursMs);
                    luceneTimes.Add(luceneMs);
                }
            }
        }

        double[] oursSorted = [.. oursTimes.Order()], luceneSorted = [.. luceneTimes.Order()];
        Console.WriteLine($"   query, top 10, {Rounds} interleaved rounds after one warm-up: ours {BenchReport.Summary(oursSorted)}");
        Console.WriteLine($"                                                    Lucene.Net {BenchReport.Summary(luceneSorted)}");
        Console.WriteLine(
            $"ratio ours/Lucene.Net: nDCG@10 {oursNdcg / luceneNdcg:F3}, query p50 {BenchReport.Percentile(oursSorted, 50) / BenchReport.Percentile(luceneSorted, 50):F2}, " +
            $"p99 {BenchReport.Percentile(oursSorted, 99) / BenchReport.Percentile(luceneSorted, 99):F2}, indexing time {oursSeconds / luceneSeconds:F2}");
    }
}
