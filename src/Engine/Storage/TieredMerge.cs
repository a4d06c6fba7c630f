namespace MossGrains.Engine.Storage;

/// <summary>
/// The merge policy of append-only segment lists (keyword postings, id maps): a segment's tier is ⌊log10 size⌋,
/// and whenever <see cref="MergeFactor"/> segments share a tier they are merged into one. A write therefore costs
/// amortised O(log n) per entry, and a lookup visits O(log n) segments.
/// </summary>
internal static class TieredMerge
{
    internal const int MergeFactor = 10;

    public static T[] Add<T>(IReadOnlyList<T> segments, T added, Func<T, int> size, Func<List<T>, T> merge)
    {
        var result = new List<T>(segments) { added };
        while (true)
        {
            var tier = result.GroupBy(s => Tier(size(s))).FirstOrDefault(g => g.Count() >= MergeFactor);
            if (tier is null)
            {
                return [.. result];
            }

            var group = tier.ToList();
            result.RemoveAll(group.Contains);
            var merged = merge(group);
            if (size(merged) > 0)
            {
                result.Add(merged);
            }
        }
    }

    private static int Tier(int size) => size <= 1 ? 0 : (int)Math.Floor(Math.Log10(size));
}
