using MossGrains.Engine.Analysis;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Fusion;
using MossGrains.Engine.Keyword;
using MossGrains.Engine.Snapshots;
using MossGrains.Engine.Storage;
using MossGrains.Engine.Vectors;

namespace MossGrains.Engine.Session;

/// <summary>Runs one validated query against one snapshot: semantic and/or keyword retrieval, filtering, fusion.</summary>
internal sealed class QueryExecutor
{
    private readonly SessionIndexOptions _options;
    private readonly TextAnalyzer _analyzer;

    public QueryExecutor(SessionIndexOptions options, TextAnalyzer analyzer)
    {
        _options = options;
        _analyzer = analyzer;
    }

    /// <summary>Ranks the snapshot for one query; <paramref name="queryVector"/> is normalised, empty when <paramref name="alpha"/> is 0.</summary>
    public ScoredSlot[] Execute(IndexSnapshot snapshot, string text, ReadOnlySpan<float> queryVector, float alpha, int topK, Filter? filter)
    {
        MatchSet? matches = filter is null ? null : MatchSet.Evaluate(snapshot, filter);
        if (matches is { Count: 0 })
        {
            return [];
        }

        int candidates = alpha is 0 or 1 ? topK : Math.Max(topK, _options.HybridCandidates);
        var semantic = alpha > 0 ? SearchVectors(snapshot, queryVector, matches, candidates) : [];
        var keyword = alpha < 1 ? SearchKeywords(snapshot, text, matches, candidates) : [];
        return alpha switch
        {
            1 => semantic,
            0 => keyword,
            _ => HybridFusion.Fuse(semantic, keyword, alpha, topK),
        };
    }

    private ScoredSlot[] SearchKeywords(IndexSnapshot snapshot, string text, MatchSet? matches, int k)
    {
        var terms = _analyzer.Analyze(text);
        var stats = new Bm25Statistics(snapshot.LiveCount, snapshot.TotalTerms, _options.Bm25K1, _options.Bm25B);
        return Bm25Scorer.Search(snapshot.Keywords, terms, stats, snapshot.TermCounts, snapshot.Deleted, matches is null ? null : matches.Contains, snapshot.SlotCount, k);
    }

    private ScoredSlot[] SearchVectors(IndexSnapshot snapshot, ReadOnlySpan<float> query, MatchSet? matches, int k)
    {
        if (snapshot.Graph is not { } graph || query.IsEmpty)
        {
            return [];
        }

        if (matches is not null && matches.Count <= _options.AnnThreshold)
        {
            return ExactVectorSearch.SearchSlots(graph.Vectors, query, matches.Slots, k);
        }

        Func<int, bool>? accept = matches is null ? null : matches.Contains;
        if (snapshot.LiveCount < _options.AnnThreshold || snapshot.GraphCount == 0)
        {
            return ExactVectorSearch.Search(graph.Vectors, query, 0, snapshot.SlotCount, snapshot.Deleted, accept, k);
        }

        // Filtered ANN: non-matching nodes are waypoints only; widen the beam by how much the filter thins the graph.
        double selectivity = matches is null ? 1 : (double)matches.Count / snapshot.LiveCount;
        int ef = (int)Math.Min(_options.HnswEfSearch / selectivity, 4 * _options.HnswEfSearch);
        var linked = graph.Search(query, snapshot.Entry, snapshot.GraphCount, snapshot.Deleted, accept, k, ef);

        // Documents the background indexer has not linked yet are scanned exactly.
        var pending = ExactVectorSearch.Search(graph.Vectors, query, snapshot.GraphCount, snapshot.SlotCount, snapshot.Deleted, accept, k);
        var found = TopKCollector.Merge(linked, pending, k);
        if (found.Length >= Math.Min(k, matches?.Count ?? snapshot.LiveCount))
        {
            return found;
        }

        // The beam ran dry among filtered-out or deleted nodes: answer exactly rather than with fewer than k.
        return matches is null
            ? ExactVectorSearch.Search(graph.Vectors, query, 0, snapshot.SlotCount, snapshot.Deleted, null, k)
            : ExactVectorSearch.SearchSlots(graph.Vectors, query, matches.Slots, k);
    }

    /// <summary>The live slots whose metadata pass a filter, as a list and a bit set.</summary>
    private sealed class MatchSet
    {
        private readonly ulong[] _bits;

        private MatchSet(List<int> slots, ulong[] bits)
        {
            Slots = slots;
            _bits = bits;
        }

        public List<int> Slots { get; }

        public int Count => Slots.Count;

        public bool Contains(int slot) => (_bits[slot >> 6] & (1UL << slot)) != 0;

        /// <summary>Uses the metadata term index when the filter allows (then verifies each candidate), else scans every live slot.</summary>
        public static MatchSet Evaluate(IndexSnapshot snapshot, Filter filter)
        {
            var slots = new List<int>();
            var bits = new ulong[(snapshot.SlotCount >> 6) + 1];
            var candidates = filter.Candidates(snapshot.MetadataIndex.SlotsOf) ?? Enumerable.Range(0, snapshot.SlotCount);
            foreach (int slot in candidates)
            {
                ulong bit = 1UL << slot;
                if ((bits[slot >> 6] & bit) == 0 && !snapshot.Deleted.Contains(slot) && filter.Matches(snapshot.Docs[slot].Metadata))
                {
                    slots.Add(slot);
                    bits[slot >> 6] |= bit;
                }
            }

            slots.Sort();
            return new MatchSet(slots, bits);
        }
    }
}
