namespace MossGrains.Engine.Storage;

/// <summary>
/// Immutable document id → slot map built from segments, so a write adds a small dictionary instead of copying the map.
/// Segments may also hold stale entries (slots since replaced or deleted); at most one entry per id points at a live
/// slot, since a write deletes the old slot of every id it stores, so a lookup returns the first entry whose slot is live.
/// </summary>
internal sealed class IdMap
{
    public static readonly IdMap Empty = new([]);

    private readonly Dictionary<string, int>[] _segments;

    private IdMap(Dictionary<string, int>[] segments) => _segments = segments;

    public static IdMap FromDictionary(Dictionary<string, int> ids) => ids.Count == 0 ? Empty : new([ids]);

    public bool TryGetSlot(string id, BitSet deleted, out int slot)
    {
        for (int i = _segments.Length - 1; i >= 0; i--)
        {
            if (_segments[i].TryGetValue(id, out slot) && !deleted.Contains(slot))
            {
                return true;
            }
        }

        slot = -1;
        return false;
    }

    /// <summary>Adds a segment (never mutated afterwards); merged segments drop ids whose slot is in <paramref name="deleted"/>.</summary>
    public IdMap WithSegment(Dictionary<string, int> added, BitSet deleted) =>
        new(TieredMerge.Add(_segments, added, s => s.Count, group => Merge(group, deleted)));

    private static Dictionary<string, int> Merge(List<Dictionary<string, int>> segments, BitSet deleted)
    {
        var merged = new Dictionary<string, int>(segments.Sum(s => s.Count), StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            foreach (var (id, slot) in segment)
            {
                if (!deleted.Contains(slot))
                {
                    merged[id] = slot;
                }
            }
        }

        return merged;
    }
}
