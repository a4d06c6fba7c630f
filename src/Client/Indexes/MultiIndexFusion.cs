using MossGrains.Grains.Indexes;
using MossGrains.Grains.Naming;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;

namespace MossGrains.Client.Indexes;

/// <summary>
/// Merges the candidates of several indexes into one ranking, as one index would rank them: alpha 1 orders by cosine
/// similarity and alpha 0 by BM25 (each index's own statistics), both comparable as they are; in between, each retriever's
/// scores are min-max normalised over the union of all indexes' candidates and fused, alpha · semantic + (1 − alpha) · keyword.
/// </summary>
internal static class MultiIndexFusion
{
    /// <summary>Candidates each index returns per retriever for a hybrid query (the engine's own hybrid candidate count).</summary>
    public const int HybridCandidates = 100;

    /// <summary>
    /// Asks every named index for its candidates (through <paramref name="candidatesOf"/>) at once and merges them. A name given
    /// twice is asked once; more than <paramref name="maxIndexes"/> distinct names are refused before anything is called;
    /// <paramref name="beforeFanOut"/>, when given, sees the distinct names first (and throws to refuse them).
    /// </summary>
    public static async Task<MultiIndexSearchResult> QueryAsync(
        IReadOnlyList<string> names, string text, QueryOptions? options, string project, int maxIndexes,
        Func<IReadOnlyList<string>, Task>? beforeFanOut,
        Func<string, SessionQuery, int, Task<IndexCandidates>> candidatesOf, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(text);
        if (names.Count == 0)
        {
            throw new ArgumentException("Name at least one index.", nameof(names));
        }

        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > maxIndexes)
        {
            throw new ArgumentException(
                $"The query names {distinct.Count} indexes; at most {maxIndexes} may be queried together (MaxIndexesPerQuery).", nameof(names));
        }

        long started = time.GetTimestamp();
        var query = IndexStore.Contracts.ContractMapping.ToContract(text, options);
        if (beforeFanOut is not null)
        {
            await beforeFanOut(distinct);
        }

        int candidates = query.Alpha is 0 or 1 ? query.TopK : Math.Max(query.TopK, HybridCandidates);
        var all = await Task.WhenAll(distinct.Select(name => candidatesOf(IndexKey.For(project, name), query, candidates)));
        return Merge(all, text, query.TopK, time.GetElapsedTime(started).TotalMilliseconds);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2208", Justification = "Names the caller's parameter: the index names of QueryIndexesAsync.")]
    private static MultiIndexSearchResult Merge(IndexCandidates[] all, string text, int topK, double elapsedMs)
    {
        var models = all.Select(c => c.ModelId).Distinct(StringComparer.Ordinal).ToList();
        if (models.Count > 1)
        {
            throw new ArgumentException(
                "Indexes queried together must use one model (their scores are not comparable otherwise): " +
                string.Join(", ", all.Select(c => $"'{IndexKey.Parse(c.Key).Name}' uses {c.ModelId}")) + ".",
                "names");
        }

        float alpha = all.Length == 0 ? 1 : all[0].Alpha;
        var fused = new Dictionary<(string Key, string Id), (ScoredDocument Doc, float Score)>();
        Accumulate(fused, all, c => c.Semantic, alpha);
        Accumulate(fused, all, c => c.Keyword, 1 - alpha);
        var docs = fused
            .OrderByDescending(e => e.Value.Score)
            .ThenBy(e => e.Key.Key, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Id, StringComparer.Ordinal)
            .Take(topK)
            .Select(e => new MultiIndexDocument(IndexKey.Parse(e.Key.Key).Name, e.Value.Doc.Id, e.Value.Doc.Text, e.Value.Doc.Metadata, e.Value.Score))
            .ToList();
        var versions = all.ToDictionary(c => IndexKey.Parse(c.Key).Name, c => c.Version, StringComparer.Ordinal);
        return new MultiIndexSearchResult(docs, text, versions, elapsedMs);
    }

    private static void Accumulate(
        Dictionary<(string Key, string Id), (ScoredDocument Doc, float Score)> fused, IReadOnlyList<IndexCandidates> all,
        Func<IndexCandidates, IReadOnlyList<ScoredDocument>> list, float weight)
    {
        var scored = all.SelectMany(c => list(c).Select(d => (c.Key, Doc: d))).ToList();
        if (scored.Count == 0 || weight == 0)
        {
            return;
        }

        // A single retriever keeps its raw scores (cosine or BM25), as a one-index query would report them.
        bool raw = weight == 1;
        float min = scored.Min(s => s.Doc.Score), max = scored.Max(s => s.Doc.Score), range = max - min;
        foreach (var (key, doc) in scored)
        {
            float score = raw ? doc.Score : weight * (range > 0 ? (doc.Score - min) / range : 1f);
            var id = (key, doc.Id);
            fused[id] = (doc, (fused.TryGetValue(id, out var existing) ? existing.Score : 0) + score);
        }
    }
}
