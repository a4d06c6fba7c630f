using System.Diagnostics;
using Cloud.Unum.USearch;

namespace MossGrains.Bench.Peers;

/// <summary>
/// Cloud.Unum.USearch through its managed wrapper: cosine metric, vectors stored as the given scalar kind
/// (USearch quantizes the f32 rows it is given), keys = row numbers, built on one thread.
/// </summary>
internal sealed class USearchCandidate : AnnCandidate
{
    private readonly USearchIndex _index;

    public USearchCandidate(float[] vectors, int dims, ScalarKind scalar, int connectivity, int expansionAdd)
        : base($"USearch {(scalar == ScalarKind.Int8 ? "i8" : "f32")} (connectivity {connectivity}, expansion_add {expansionAdd})")
    {
        int count = vectors.Length / dims;
        long rssBefore = ResidentBytes();
        var clock = Stopwatch.StartNew();
        _index = new USearchIndex(MetricKind.Cos, scalar, (ulong)dims, (ulong)connectivity, (ulong)expansionAdd);

        // One call for all rows: the wrapper grows the index's capacity once per Add call, by that call's row count.
        var keys = new ulong[count];
        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            keys[i] = (ulong)i;
            rows[i] = vectors.AsSpan(i * dims, dims).ToArray();
        }

        _index.Add(keys, rows);
        BuildSeconds = clock.Elapsed.TotalSeconds;
        GC.Collect();
        Memory = (USearchTuning.MemoryUsage(_index), $"usearch_memory_usage; process RSS grew {(ResidentBytes() - rssBefore) / 1e6:F0} MB, the rows passed to Add included");
    }

    public override int Ef { set => USearchTuning.SetExpansionSearch(_index, value); }

    public override int[] Search(float[] query, int k)
    {
        int found = _index.Search(query, k, out var keys, out _);
        var rows = new int[found];
        for (int i = 0; i < found; i++)
        {
            rows[i] = (int)keys[i];
        }

        return rows;
    }

    public override void Dispose()
    {
        _index.Dispose();
        base.Dispose();
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
