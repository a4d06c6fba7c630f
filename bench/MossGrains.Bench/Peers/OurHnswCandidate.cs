using System.Diagnostics;
using MossGrains.Engine.Storage;
using MossGrains.Engine.Vectors;

namespace MossGrains.Bench.Peers;

/// <summary>Our engine's HNSW (the graph <c>SessionIndex</c> links above 20K docs), over its own vector arena, built on one thread.</summary>
internal sealed class OurHnswCandidate : AnnCandidate
{
    private readonly HnswGraph _graph;
    private readonly HnswEntry _entry;
    private readonly int _count;
    private int _ef;

    public OurHnswCandidate(float[] vectors, int dims, int m, int efConstruction)
        : base($"ours HNSW f32 (M {m}, efConstruction {efConstruction})")
    {
        _count = vectors.Length / dims;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var arena = new VectorArena(dims);
        _graph = new HnswGraph(arena, m, efConstruction);
        _entry = HnswEntry.None;
        for (int i = 0; i < _count; i++)
        {
            arena.Set(i, vectors.AsSpan(i * dims, dims));
            _entry = _graph.Insert(i, _entry);
        }

        BuildSeconds = clock.Elapsed.TotalSeconds;
        Memory = (GC.GetTotalMemory(forceFullCollection: true) - before, "managed heap growth");
    }

    public override int Ef { set => _ef = value; }

    public override int[] Search(float[] query, int k) =>
        [.. _graph.Search(query, _entry, _count, BitSet.Empty, accept: null, k, _ef).Select(s => s.Slot)];
}
