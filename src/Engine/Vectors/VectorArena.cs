namespace MossGrains.Engine.Vectors;

/// <summary>
/// Contiguous, append-only storage of L2-normalised vectors in chunks of <see cref="VectorsPerChunk"/>
/// rows (one scan touches memory sequentially). Same publication rule as <see cref="Storage.ChunkedArena{T}"/>:
/// the single writer only fills rows beyond the published count, and growth shares existing chunks.
/// </summary>
internal sealed class VectorArena
{
    internal const int ChunkBits = 10;
    internal const int VectorsPerChunk = 1 << ChunkBits;
    private const int ChunkMask = VectorsPerChunk - 1;

    private float[][] _chunks = [];

    public VectorArena(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
    }

    public int Dimensions { get; }

    public ReadOnlySpan<float> this[int slot]
    {
        get
        {
            var chunk = Volatile.Read(ref _chunks)[slot >> ChunkBits];
            return chunk.AsSpan((slot & ChunkMask) * Dimensions, Dimensions);
        }
    }

    /// <summary>Rows <c>[first, first + count)</c> of chunk <paramref name="chunkIndex"/> as one span.</summary>
    public ReadOnlySpan<float> ChunkRows(int chunkIndex, int count) =>
        Volatile.Read(ref _chunks)[chunkIndex].AsSpan(0, count * Dimensions);

    /// <summary>Stores <paramref name="vector"/> normalised at <paramref name="slot"/> (writer only; unpublished slot).</summary>
    public void Set(int slot, ReadOnlySpan<float> vector)
    {
        EnsureCapacity(slot + 1);
        var row = _chunks[slot >> ChunkBits].AsSpan((slot & ChunkMask) * Dimensions, Dimensions);
        UnitVector.Normalize(vector, row);
    }

    /// <summary>Writable rows of a chunk, for the binary loader (which copies stored rows verbatim).</summary>
    public Span<float> RawRowsOfChunk(int chunkIndex, int count)
    {
        EnsureCapacity((chunkIndex * VectorsPerChunk) + count);
        return _chunks[chunkIndex].AsSpan(0, count * Dimensions);
    }

    private void EnsureCapacity(int count) =>
        Storage.ChunkTable.EnsureChunks(ref _chunks, (count + ChunkMask) >> ChunkBits, VectorsPerChunk * Dimensions);
}
