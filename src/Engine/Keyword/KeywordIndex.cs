using MossGrains.Engine.Storage;

namespace MossGrains.Engine.Keyword;

/// <summary>
/// The immutable set of keyword segments of one snapshot. Adding a segment returns a new index;
/// when <see cref="MergeFactor"/> segments share a size tier (⌊log10 docs⌋) they are merged, so a
/// write costs amortised O(log n) per posting and a query looks a term up in O(log n) segments.
/// </summary>
internal sealed class KeywordIndex
{
    internal const int MergeFactor = 10;

    public static readonly KeywordIndex Empty = new([]);

    private KeywordIndex(KeywordSegment[] segments) => Segments = segments;

    public IReadOnlyList<KeywordSegment> Segments { get; }

    public KeywordIndex WithSegment(KeywordSegment added, BitSet deleted)
    {
        var segments = new List<KeywordSegment>(Segments) { added };
        while (true)
        {
            var tier = segments.GroupBy(s => Tier(s.DocCount)).FirstOrDefault(g => g.Count() >= MergeFactor);
            if (tier is null)
            {
                break;
            }

            var group = tier.ToList();
            segments.RemoveAll(group.Contains);
            var merged = KeywordSegment.Merge(group, deleted);
            if (merged.DocCount > 0)
            {
                segments.Add(merged);
            }
        }

        return new KeywordIndex([.. segments]);
    }

    /// <summary>All live postings merged into one segment (used when saving).</summary>
    public KeywordSegment Compacted(BitSet deleted) => KeywordSegment.Merge(Segments, deleted);

    internal static KeywordIndex FromSegment(KeywordSegment segment) => new([segment]);

    private static int Tier(int docCount) => docCount <= 1 ? 0 : (int)Math.Floor(Math.Log10(docCount));
}
