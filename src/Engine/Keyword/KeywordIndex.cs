using MossGrains.Engine.Storage;

namespace MossGrains.Engine.Keyword;

/// <summary>
/// The immutable set of keyword segments of one snapshot. Adding a segment returns a new index; segments are merged
/// by <see cref="TieredMerge"/>, dropping deleted slots.
/// </summary>
internal sealed class KeywordIndex
{
    public static readonly KeywordIndex Empty = new([]);

    private KeywordIndex(KeywordSegment[] segments) => Segments = segments;

    public IReadOnlyList<KeywordSegment> Segments { get; }

    public KeywordIndex WithSegment(KeywordSegment added, BitSet deleted) =>
        new(TieredMerge.Add(Segments, added, s => s.DocCount, group => KeywordSegment.Merge(group, deleted)));
    /// <summary>Slots listed under <paramref name="term"/> in any segment (deleted ones included).</summary>
    public IEnumerable<int> SlotsOf(string term)
    {
        foreach (var segment in Segments)
        {
            if (segment.Find(term) is { } postings)
            {
                foreach (int slot in postings.Slots)
                {
                    yield return slot;
                }
            }
        }
    }

    /// <summary>All live postings merged into one segment (used when saving).</summary>
    public KeywordSegment Compacted(BitSet deleted) => KeywordSegment.Merge(Segments, deleted);

    internal static KeywordIndex FromSegment(KeywordSegment segment) => new([segment]);
}
