using MossGrains.Engine.Storage;

namespace MossGrains.Engine.Keyword;

/// <summary>The documents of one term in one segment: slots and term frequencies, parallel arrays.</summary>
internal sealed record Postings(int[] Slots, int[] Frequencies);

/// <summary>
/// An immutable inverted index over a set of slots, Lucene-style: a write adds a small segment,
/// and segments of similar size are merged later (dropping deleted slots), so a write never
/// rewrites the whole index.
/// </summary>
internal sealed class KeywordSegment
{
    // Never mutated after construction, so concurrent readers are safe.
    private readonly Dictionary<string, Postings> _terms;

    private KeywordSegment(Dictionary<string, Postings> terms, int docCount)
    {
        _terms = terms;
        DocCount = docCount;
    }

    /// <summary>Slots indexed in this segment (deleted ones included until the next merge).</summary>
    public int DocCount { get; }

    public IEnumerable<KeyValuePair<string, Postings>> Terms => _terms;

    public Postings? Find(string term) => _terms.GetValueOrDefault(term);

    /// <summary>Builds a segment from analysed documents (terms in text order).</summary>
    public static KeywordSegment Build(IReadOnlyList<(int Slot, IReadOnlyList<string> Terms)> docs)
    {
        var builder = new Dictionary<string, (List<int> Slots, List<int> Frequencies)>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (slot, terms) in docs)
        {
            counts.Clear();
            foreach (var term in terms)
            {
                counts[term] = counts.GetValueOrDefault(term) + 1;
            }

            foreach (var (term, frequency) in counts)
            {
                if (!builder.TryGetValue(term, out var lists))
                {
                    lists = ([], []);
                    builder[term] = lists;
                }

                lists.Slots.Add(slot);
                lists.Frequencies.Add(frequency);
            }
        }

        return new KeywordSegment(ToPostings(builder), docs.Count);
    }

    /// <summary>Merges <paramref name="segments"/> into one, leaving out slots in <paramref name="deleted"/>.</summary>
    public static KeywordSegment Merge(IReadOnlyList<KeywordSegment> segments, BitSet deleted)
    {
        var merged = new Dictionary<string, (List<int> Slots, List<int> Frequencies)>(StringComparer.Ordinal);
        var liveSlots = new HashSet<int>();
        foreach (var segment in segments)
        {
            foreach (var (term, postings) in segment._terms)
            {
                if (!merged.TryGetValue(term, out var lists))
                {
                    lists = ([], []);
                    merged[term] = lists;
                }

                for (int i = 0; i < postings.Slots.Length; i++)
                {
                    int slot = postings.Slots[i];
                    if (!deleted.Contains(slot))
                    {
                        lists.Slots.Add(slot);
                        lists.Frequencies.Add(postings.Frequencies[i]);
                        liveSlots.Add(slot);
                    }
                }
            }
        }

        return new KeywordSegment(ToPostings(merged), liveSlots.Count);
    }

    internal static KeywordSegment FromPostings(Dictionary<string, Postings> terms, int docCount) => new(terms, docCount);

    private static Dictionary<string, Postings> ToPostings(Dictionary<string, (List<int> Slots, List<int> Frequencies)> lists)
    {
        var terms = new Dictionary<string, Postings>(lists.Count, StringComparer.Ordinal);
        foreach (var (term, (slots, frequencies)) in lists)
        {
            if (slots.Count > 0)
            {
                terms[term] = new Postings([.. slots], [.. frequencies]);
            }
        }

        return terms;
    }
}
