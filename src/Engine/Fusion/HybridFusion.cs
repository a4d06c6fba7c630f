using MossGrains.Engine.Storage;

namespace MossGrains.Engine.Fusion;

/// <summary>
/// Relative-score fusion: each retriever's candidate scores are min-max normalised to [0, 1]
/// (all equal → 1), a candidate missing from one list scores 0 there, and
/// <c>fused = alpha · semantic + (1 − alpha) · keyword</c> over the union of candidates.
/// </summary>
internal static class HybridFusion
{
    public static ScoredSlot[] Fuse(ScoredSlot[] semantic, ScoredSlot[] keyword, float alpha, int k)
    {
        var fused = new Dictionary<int, float>(semantic.Length + keyword.Length);
        Accumulate(fused, semantic, alpha);
        Accumulate(fused, keyword, 1 - alpha);
        var top = new TopKCollector(k);
        foreach (var (slot, score) in fused)
        {
            top.Add(slot, score);
        }

        return top.ToSortedArray();
    }

    private static void Accumulate(Dictionary<int, float> fused, ScoredSlot[] scored, float weight)
    {
        if (scored.Length == 0)
        {
            return;
        }

        float min = float.MaxValue, max = float.MinValue;
        foreach (var s in scored)
        {
            min = Math.Min(min, s.Score);
            max = Math.Max(max, s.Score);
        }

        float range = max - min;
        foreach (var s in scored)
        {
            float normalised = range > 0 ? (s.Score - min) / range : 1f;
            fused[s.Slot] = fused.GetValueOrDefault(s.Slot) + (weight * normalised);
        }
    }
}
