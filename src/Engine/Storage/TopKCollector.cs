namespace MossGrains.Engine.Storage;

/// <summary>A (slot, score) pair ranked by score, ties broken by the lower slot so results are deterministic.</summary>
internal readonly record struct ScoredSlot(int Slot, float Score)
{
    /// <summary>True when this ranks strictly better than <paramref name="other"/>.</summary>
    public bool RanksBefore(ScoredSlot other) => Score > other.Score || (Score == other.Score && Slot < other.Slot);
}

/// <summary>Keeps the best <c>k</c> of a stream of scored slots in a bounded min-heap (worst kept at the root).</summary>
internal sealed class TopKCollector
{
    private readonly ScoredSlot[] _heap;
    private int _count;

    public TopKCollector(int k) => _heap = new ScoredSlot[Math.Max(1, k)];

    public int Count => _count;

    public bool IsFull => _count == _heap.Length;

    /// <summary>The worst kept score, or -∞ while not full (anything can still enter).</summary>
    public float Threshold => IsFull ? _heap[0].Score : float.NegativeInfinity;

    public void Add(int slot, float score)
    {
        var item = new ScoredSlot(slot, score);
        if (_count < _heap.Length)
        {
            _heap[_count] = item;
            SiftUp(_count++);
        }
        else if (item.RanksBefore(_heap[0]))
        {
            _heap[0] = item;
            SiftDown(0);
        }
    }

    /// <summary>The best <paramref name="k"/> of two ranked lists over disjoint slots.</summary>
    public static ScoredSlot[] Merge(ScoredSlot[] first, ScoredSlot[] second, int k)
    {
        if (second.Length == 0)
        {
            return first;
        }

        var top = new TopKCollector(k);
        foreach (var s in first)
        {
            top.Add(s.Slot, s.Score);
        }

        foreach (var s in second)
        {
            top.Add(s.Slot, s.Score);
        }

        return top.ToSortedArray();
    }

    /// <summary>The kept items, best first.</summary>
    public ScoredSlot[] ToSortedArray()
    {
        var result = _heap.AsSpan(0, _count).ToArray();
        Array.Sort(result, static (a, b) => a.RanksBefore(b) ? -1 : b.RanksBefore(a) ? 1 : 0);
        return result;
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!_heap[parent].RanksBefore(_heap[i]))
            {
                break;
            }

            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int left = (2 * i) + 1;
            if (left >= _count)
            {
                return;
            }

            int worst = left;
            int right = left + 1;
            if (right < _count && _heap[left].RanksBefore(_heap[right]))
            {
                worst = right;
            }

            if (!_heap[i].RanksBefore(_heap[worst]))
            {
                return;
            }

            (_heap[worst], _heap[i]) = (_heap[i], _heap[worst]);
            i = worst;
        }
    }
}
