namespace MossGrains.Bench.Beir;

/// <summary>BEIR's metrics (as computed by pytrec_eval): nDCG@k with graded gains, recall@k.</summary>
internal static class RankingMetrics
{
    /// <summary>The ranking without the document whose id is the query's own id, as BEIR's evaluator scores it.</summary>
    public static IEnumerable<string> WithoutQueryItself(IEnumerable<string> ranked, string queryId) =>
        ranked.Where(docId => !string.Equals(docId, queryId, StringComparison.Ordinal));

    /// <summary>
    /// nDCG@10 and recall@100 of one query's ranking as BEIR's evaluator scores it: the query's own id left out,
    /// then the first 100 kept.
    /// </summary>
    public static (double NdcgAt10, double RecallAt100) Score(string queryId, IEnumerable<string> ranked, IReadOnlyDictionary<string, int> judged)
    {
        var kept = WithoutQueryItself(ranked, queryId).Take(100).ToList();
        return (NdcgAt(10, kept, judged), RecallAt(100, kept, judged));
    }

    public static double NdcgAt(int k, IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> judged)
    {
        double dcg = 0;
        for (int i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (judged.TryGetValue(ranked[i], out int grade) && grade > 0)
            {
                dcg += grade / Math.Log2(i + 2);
            }
        }

        var ideal = judged.Values.Where(g => g > 0).OrderDescending().Take(k).ToArray();
        double idcg = 0;
        for (int i = 0; i < ideal.Length; i++)
        {
            idcg += ideal[i] / Math.Log2(i + 2);
        }

        return idcg == 0 ? 0 : dcg / idcg;
    }

    public static double RecallAt(int k, IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> judged)
    {
        int relevant = judged.Values.Count(g => g > 0);
        if (relevant == 0)
        {
            return 0;
        }

        int found = ranked.Take(k).Count(id => judged.TryGetValue(id, out int grade) && grade > 0);
        return (double)found / relevant;
    }
}
