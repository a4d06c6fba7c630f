using System.Numerics.Tensors;
using MossGrains.Engine.Storage;

namespace MossGrains.Engine.Vectors;

/// <summary>Brute-force cosine search (dot products of normalised vectors, SIMD via TensorPrimitives).</summary>
internal static class ExactVectorSearch
{
    /// <summary>Best <paramref name="k"/> of the live, accepted slots in <c>[firstSlot, endSlot)</c>.</summary>
    public static ScoredSlot[] Search(VectorArena vectors, ReadOnlySpan<float> query, int firstSlot, int endSlot, BitSet deleted, Func<int, bool>? accept, int k)
    {
        var top = new TopKCollector(k);
        int dims = vectors.Dimensions;
        for (int chunk = firstSlot >> VectorArena.ChunkBits, first = chunk << VectorArena.ChunkBits; first < endSlot; chunk++, first += VectorArena.VectorsPerChunk)
        {
            int rows = Math.Min(VectorArena.VectorsPerChunk, endSlot - first);
            var block = vectors.ChunkRows(chunk, rows);
            for (int r = Math.Max(0, firstSlot - first); r < rows; r++)
            {
                int slot = first + r;
                if (deleted.Contains(slot) || (accept is not null && !accept(slot)))
                {
                    continue;
                }

                top.Add(slot, TensorPrimitives.Dot(block.Slice(r * dims, dims), query));
            }
        }

        return top.ToSortedArray();
    }

    /// <summary>Best <paramref name="k"/> among the given candidate slots (all assumed live and accepted).</summary>
    public static ScoredSlot[] SearchSlots(VectorArena vectors, ReadOnlySpan<float> query, IReadOnlyList<int> slots, int k)
    {
        var top = new TopKCollector(k);
        foreach (int slot in slots)
        {
            top.Add(slot, TensorPrimitives.Dot(vectors[slot], query));
        }

        return top.ToSortedArray();
    }
}
