namespace MossGrains.Engine.Storage;

/// <summary>
/// An append-only array of fixed-size chunks. The single writer only ever writes slots at or
/// beyond the count published in the current snapshot, so readers that stay below their
/// snapshot's count never see a slot change; growing replaces the chunk table with a copy that
/// shares every existing chunk, so no element is ever copied.
/// </summary>
internal sealed class ChunkedArena<T>
{
    internal const int ChunkBits = 12;
    internal const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] _chunks = [];

    public T this[int index]
    {
        get => Volatile.Read(ref _chunks)[index >> ChunkBits][index & ChunkMask];
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="index"/> (writer only; index must be unpublished).</summary>
    public void Set(int index, T value)
    {
        EnsureCapacity(index + 1);
        _chunks[index >> ChunkBits][index & ChunkMask] = value;
    }

    public void EnsureCapacity(int count) => ChunkTable.EnsureChunks(ref _chunks, (count + ChunkMask) >> ChunkBits, ChunkSize);
}
