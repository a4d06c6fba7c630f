namespace MossGrains.Engine.Vectors;

/// <summary>A binary heap of (node, similarity) keeping either the most or the least similar node on top; reused across searches.</summary>
internal sealed class NodeHeap
{
    private readonly bool _maxOnTop;
    private (int Node, float Sim)[] _items = new (int, float)[64];

    public NodeHeap(bool maxOnTop) => _maxOnTop = maxOnTop;

    public int Count { get; private set; }

    public (int Node, float Sim) Top => _items[0];

    public void Clear() => Count = 0;

    public void Push(int node, float sim)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        int i = Count++;
        _items[i] = (node, sim);
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Above(_items[i].Sim, _items[parent].Sim))
            {
                break;
            }

            (_items[parent], _items[i]) = (_items[i], _items[parent]);
            i = parent;
        }
    }

    public (int Node, float Sim) Pop()
    {
        var top = _items[0];
        _items[0] = _items[--Count];
        int i = 0;
        while (true)
        {
            int left = (2 * i) + 1;
            if (left >= Count)
            {
                break;
            }

            int best = left;
            if (left + 1 < Count && Above(_items[left + 1].Sim, _items[left].Sim))
            {
                best = left + 1;
            }

            if (!Above(_items[best].Sim, _items[i].Sim))
            {
                break;
            }

            (_items[best], _items[i]) = (_items[i], _items[best]);
            i = best;
        }

        return top;
    }

    /// <summary>The heap's items in no particular order.</summary>
    public ReadOnlySpan<(int Node, float Sim)> Items => _items.AsSpan(0, Count);

    private bool Above(float a, float b) => _maxOnTop ? a > b : a < b;
}
