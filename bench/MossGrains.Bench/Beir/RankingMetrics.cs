namespace MossGrains.Bench.Beir;

/// <summary>BEIR's metrics (as computed by pytrec_eval): nDCG@k with graded gains, recall@k.</summary>
internal static class RankingMetrics
{
    /// <summary>The ranking without the document whose id is the query's own id, as BEIR's evaluator scores it.</summary>
    public static IEnumerable<string> WithoutQueryItself(IEnumerable<string> ranked, string queryId) =>
        ranked.Where(docId => !string.Equals(docId, queryId, StringComparison.Ordinal));

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
