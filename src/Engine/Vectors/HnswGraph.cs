using System.Numerics.Tensors;
using MossGrains.Engine.Storage;

namespace MossGrains.Engine.Vectors;

/// <summary>Where searches start: the node on the graph's top layer. Published in each snapshot.</summary>
internal readonly record struct HnswEntry(int Node, int Level)
{
    public static readonly HnswEntry None = new(-1, -1);
}

/// <summary>
/// A hierarchical navigable small-world graph (Malkov &amp; Yashunin) over the slots of a <see cref="VectorArena"/>,
/// built incrementally. Readers never block: every neighbour list is an immutable array replaced by
/// one reference write, and a reader ignores nodes at or beyond its snapshot's slot count, so a
/// concurrent insert can only add links the reader skips. Deleted slots stay in the graph as
/// waypoints and are never returned.
/// </summary>
internal sealed class HnswGraph
{
    private const int MaxLevel = 16;
    private readonly ChunkedArena<int[][]> _links = new();
    private readonly double _levelMultiplier;

    [ThreadStatic]
    private static SearchContext? t_context;

    public HnswGraph(VectorArena vectors, int m, int efConstruction)
    {
        Vectors = vectors;
        M = m;
        EfConstruction = efConstruction;
        _levelMultiplier = 1 / Math.Log(m);
    }

    public VectorArena Vectors { get; }

    public int M { get; }

    public int EfConstruction { get; }

    private int MaxNeighbours(int level) => level == 0 ? 2 * M : M;

    /// <summary>The neighbours of <paramref name="node"/> on <paramref name="level"/> (may include unpublished nodes).</summary>
    public int[] Neighbours(int node, int level) => Volatile.Read(ref _links[node][level]);

    public int LevelOf(int node) => _links[node].Length - 1;

    /// <summary>Adds <paramref name="slot"/> (whose vector is stored) to the graph; returns the new entry point.</summary>
    public HnswEntry Insert(int slot, HnswEntry entry)
    {
        int level = RandomLevel(slot);
        var own = new int[level + 1][];
        for (int l = 0; l <= level; l++)
        {
            own[l] = [];
        }

        _links.Set(slot, own);
        if (entry.Node < 0)
        {
            return new HnswEntry(slot, level);
        }

        var query = Vectors[slot];
        var context = Context(slot);
        int current = entry.Node;
        float currentSim = Sim(query, current);
        for (int l = entry.Level; l > level; l--)
        {
            (current, currentSim) = GreedyClosest(query, current, currentSim, l, slot);
        }

        for (int l = Math.Min(level, entry.Level); l >= 0; l--)
        {
            SearchLayer(context, query, [(current, currentSim)], EfConstruction, l, slot, deleted: null, accept: null);
            var candidates = context.Results.Items.ToArray();
            Array.Sort(candidates, static (a, b) => b.Sim.CompareTo(a.Sim));
            var selected = SelectNeighbours(candidates, M);
            own[l] = [.. selected.Select(c => c.Node)];
            foreach (var (neighbour, sim) in selected)
            {
                Link(neighbour, slot, sim, l);
            }

            (current, currentSim) = candidates[0];
        }

        return level > entry.Level ? new HnswEntry(slot, level) : entry;
    }

    /// <summary>
    /// Best <paramref name="k"/> live, accepted nodes below <paramref name="slotCount"/>. <paramref name="ef"/> bounds the candidate list.
    /// </summary>
    public ScoredSlot[] Search(ReadOnlySpan<float> query, HnswEntry entry, int slotCount, BitSet deleted, Func<int, bool>? accept, int k, int ef)
    {
        if (entry.Node < 0)
        {
            return [];
        }

        var context = Context(slotCount);
        int current = entry.Node;
        float currentSim = Sim(query, current);
        for (int l = entry.Level; l > 0; l--)
        {
            (current, currentSim) = GreedyClosest(query, current, currentSim, l, slotCount);
        }

        SearchLayer(context, query, [(current, currentSim)], Math.Max(ef, k), 0, slotCount, deleted, accept);
        var top = new TopKCollector(k);
        foreach (var (node, sim) in context.Results.Items)
        {
            top.Add(node, sim);
        }

        return top.ToSortedArray();
    }

    internal int[][] RawLinks(int node) => _links[node];

    internal void SetRawLinks(int node, int[][] links) => _links.Set(node, links);

    private float Sim(ReadOnlySpan<float> query, int node) => TensorPrimitives.Dot(query, Vectors[node]);

    private (int Node, float Sim) GreedyClosest(ReadOnlySpan<float> query, int current, float currentSim, int level, int limit)
    {
        bool improved = true;
        while (improved)
        {
            improved = false;
            foreach (int neighbour in Neighbours(current, level))
            {
                if (neighbour >= limit)
                {
                    continue;
                }

                float sim = Sim(query, neighbour);
                if (sim > currentSim)
                {
                    (current, currentSim, improved) = (neighbour, sim, true);
                }
            }
        }

        return (current, currentSim);
    }

    /// <summary>
    /// Beam search on one layer. Leaves the best <paramref name="ef"/> accepted nodes in the context's
    /// result heap. Rejected (deleted / filtered-out) nodes are still expanded, so they act as waypoints.
    /// </summary>
    private void SearchLayer(SearchContext context, ReadOnlySpan<float> query, ReadOnlySpan<(int Node, float Sim)> entries, int ef, int level, int limit, BitSet? deleted, Func<int, bool>? accept)
    {
        var candidates = context.Candidates;
        var results = context.Results;
        candidates.Clear();
        results.Clear();
        context.NextGeneration();
        foreach (var (node, sim) in entries)
        {
            context.Visit(node);
            candidates.Push(node, sim);
            if (Accepts(node, deleted, accept))
            {
                results.Push(node, sim);
            }
        }

        while (candidates.Count > 0)
        {
            var (node, sim) = candidates.Pop();
            if (results.Count >= ef && sim < results.Top.Sim)
            {
                break;
            }

            foreach (int neighbour in Neighbours(node, level))
            {
                if (neighbour >= limit || !context.Visit(neighbour))
                {
                    continue;
                }

                float s = Sim(query, neighbour);
                if (results.Count < ef || s > results.Top.Sim)
                {
                    candidates.Push(neighbour, s);
                    if (Accepts(neighbour, deleted, accept))
                    {
                        results.Push(neighbour, s);
                        if (results.Count > ef)
                        {
                            results.Pop();
                        }
                    }
                }
            }
        }
    }

    private static bool Accepts(int node, BitSet? deleted, Func<int, bool>? accept) =>
        (deleted is null || !deleted.Contains(node)) && (accept is null || accept(node));

    /// <summary>The HNSW heuristic: keep a candidate only if it is closer to the base than to every neighbour already kept.</summary>
    private List<(int Node, float Sim)> SelectNeighbours((int Node, float Sim)[] sortedBySimDescending, int max)
    {
        var selected = new List<(int Node, float Sim)>(max);
        foreach (var candidate in sortedBySimDescending)
        {
            if (selected.Count >= max)
            {
                break;
            }

            var vector = Vectors[candidate.Node];
            bool keep = true;
            foreach (var kept in selected)
            {
                if (TensorPrimitives.Dot(vector, Vectors[kept.Node]) > candidate.Sim)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                selected.Add(candidate);
            }
        }

        return selected;
    }

    /// <summary>Adds the back-link <paramref name="neighbour"/> → <paramref name="added"/>, re-pruning a full list; publishes a new array.</summary>
    private void Link(int neighbour, int added, float sim, int level)
    {
        var current = Neighbours(neighbour, level);
        int max = MaxNeighbours(level);
        int[] next;
        if (current.Length < max)
        {
            next = [.. current, added];
        }
        else
        {
            var baseVector = Vectors[neighbour];
            var candidates = new (int Node, float Sim)[current.Length + 1];
            for (int i = 0; i < current.Length; i++)
            {
                candidates[i] = (current[i], TensorPrimitives.Dot(baseVector, Vectors[current[i]]));
            }

            candidates[^1] = (added, sim);
            Array.Sort(candidates, static (a, b) => b.Sim.CompareTo(a.Sim));
            next = [.. SelectNeighbours(candidates, max).Select(c => c.Node)];
        }

        Volatile.Write(ref _links[neighbour][level], next);
    }

    private int RandomLevel(int slot)
    {
        // Deterministic per slot (SplitMix64), so a rebuild of the same inserts yields the same graph.
        ulong z = (ulong)slot + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double uniform = ((z >> 11) + 1) * (1.0 / (1UL << 53));
        return Math.Min(MaxLevel, (int)(-Math.Log(uniform) * _levelMultiplier));
    }

    private static SearchContext Context(int capacity)
    {
        var context = t_context ??= new SearchContext();
        context.EnsureCapacity(capacity);
        return context;
    }

    private sealed class SearchContext
    {
        private int[] _visitedStamp = [];
        private int _generation;

        public NodeHeap Candidates { get; } = new(maxOnTop: true);

        public NodeHeap Results { get; } = new(maxOnTop: false);

        public void EnsureCapacity(int capacity)
        {
            if (_visitedStamp.Length < capacity)
            {
                Array.Resize(ref _visitedStamp, Math.Max(capacity, _visitedStamp.Length * 2));
            }
        }

        public void NextGeneration()
        {
            if (++_generation == int.MaxValue)
            {
                Array.Clear(_visitedStamp);
                _generation = 1;
            }
        }

        /// <summary>Marks <paramref name="node"/> visited; false when it already was.</summary>
        public bool Visit(int node)
        {
            if (_visitedStamp[node] == _generation)
            {
                return false;
            }

            _visitedStamp[node] = _generation;
            return true;
        }
    }
}
