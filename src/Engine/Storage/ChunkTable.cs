namespace MossGrains.Engine.Storage;

/// <summary>Growth of a chunk table shared by the append-only arenas: existing chunks are shared, never copied.</summary>
internal static class ChunkTable
{
    /// <summary>Makes <paramref name="chunks"/> hold at least <paramref name="neededChunks"/> chunks of <paramref name="chunkLength"/> elements.</summary>
    public static void EnsureChunks<T>(ref T[][] chunks, int neededChunks, int chunkLength)
    {
        var current = chunks;
        if (neededChunks <= current.Length)
        {
            return;
        }

        var grown = new T[Math.Max(neededChunks, current.Length * 2)][];
        Array.Copy(current, grown, current.Length);
        for (int i = current.Length; i < grown.Length; i++)
        {
            grown[i] = new T[chunkLength];
        }

        // Readers pick up the new table with a volatile read; chunks they already hold are the same objects.
        Volatile.Write(ref chunks, grown);
    }
}
