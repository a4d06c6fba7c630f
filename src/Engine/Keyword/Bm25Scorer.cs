using MossGrains.Engine.Storage;

namespace MossGrains.Engine.Keyword;

/// <summary>The collection statistics BM25 needs, exact over the live documents of one snapshot.</summary>
internal readonly record struct Bm25Statistics(int LiveDocs, long TotalTerms, float K1, float B)
{
    public float AverageLength => LiveDocs == 0 ? 0 : (float)((double)TotalTerms / LiveDocs);
}

/// <summary>
/// Okapi BM25 with Lucene's idf, ln(1 + (N − df + 0.5) / (df + 0.5)), where N and df count live
/// documents only (deleted slots are skipped, so scores do not depend on segment layout).
/// </summary>
internal static class Bm25Scorer
{
    [ThreadStatic]
    private static float[]? t_accumulator;

    public static ScoredSlot[] Search(
        KeywordIndex index,
        IReadOnlyList<string> queryTerms,
        Bm25Statistics stats,
        ChunkedArena<int> docLengths,
        BitSet deleted,
        Func<int, bool>? accept,
        int slotCount,
        int k)
    {
        if (stats.LiveDocs == 0 || queryTerms.Count == 0)
        {
            return [];
        }

        var accumulator = t_accumulator is { } a && a.Length >= slotCount ? a : (t_accumulator = new float[Math.Max(slotCount, 1024)]);
        var touched = new List<int>();
        float avgLength = Math.Max(stats.AverageLength, 1e-6f);
        var postingsOfTerm = new List<Postings>();
        foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
        {
            postingsOfTerm.Clear();
            int df = 0;
            foreach (var segment in index.Segments)
            {
                if (segment.Find(term) is { } postings)
                {
                    postingsOfTerm.Add(postings);
                    foreach (int slot in postings.Slots)
                    {
                        if (slot < slotCount && !deleted.Contains(slot))
                        {
                            df++;
                        }
                    }
                }
            }

            if (df == 0)
            {
                continue;
            }

            float idf = (float)Math.Log(1 + ((stats.LiveDocs - df + 0.5) / (df + 0.5)));
            foreach (var postings in postingsOfTerm)
            {
                for (int i = 0; i < postings.Slots.Length; i++)
                {
                    int slot = postings.Slots[i];
                    if (slot >= slotCount || deleted.Contains(slot) || (accept is not null && !accept(slot)))
                    {
                        continue;
                    }

                    float tf = postings.Frequencies[i];
                    float norm = stats.K1 * (1 - stats.B + (stats.B * docLengths[slot] / avgLength));
                    float score = idf * tf * (stats.K1 + 1) / (tf + norm);
                    if (accumulator[slot] == 0)
                    {
                        touched.Add(slot);
                    }

                    accumulator[slot] += score;
                }
            }
        }

        var top = new TopKCollector(k);
        foreach (int slot in touched)
        {
            top.Add(slot, accumulator[slot]);
            accumulator[slot] = 0;
        }

        return top.ToSortedArray();
    }
}
