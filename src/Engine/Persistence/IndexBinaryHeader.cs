namespace MossGrains.Engine.Persistence;

/// <summary>
/// What an index binary's header says, read without loading the index: a store uses it to pick the embedder a
/// stored session needs before it loads it. The full verification (checksum, structure) still happens on load.
/// </summary>
/// <param name="Version">Format version.</param>
/// <param name="ModelId">Model the vectors were made with; <c>custom</c> for caller-supplied vectors.</param>
/// <param name="Name">The index name the binary was saved under.</param>
/// <param name="Dimensions">Vector dimension (0 when the index has no vectors).</param>
/// <param name="DocCount">Live documents.</param>
public sealed record IndexBinaryHeader(int Version, string ModelId, string Name, int Dimensions, int DocCount)
{
    /// <summary>Reads the header; throws <see cref="IndexFormatException"/> when the bytes are not a readable index binary of this build.</summary>
    public static IndexBinaryHeader Read(byte[] binary)
    {
        ArgumentNullException.ThrowIfNull(binary);
        if (binary.Length < IndexBinaryFormat.Magic.Length || !binary.AsSpan(0, IndexBinaryFormat.Magic.Length).SequenceEqual(IndexBinaryFormat.Magic))
        {
            throw new IndexFormatException("Not a MossGrains index binary (bad magic bytes).");
        }

        var reader = new PayloadReader(binary, IndexBinaryFormat.Magic.Length, binary.Length);
        int version = reader.ReadInt32();
        if (version != IndexBinaryFormat.CurrentVersion)
        {
            throw new IndexFormatException($"Index binary format version {version} is not supported; this build reads version {IndexBinaryFormat.CurrentVersion}.");
        }

        string modelId = reader.ReadString();
        string name = reader.ReadString();
        _ = (reader.ReadInt32(), reader.ReadBoolean(), reader.ReadInt32(), reader.ReadString()); // keyword-analysis settings
        int dimensions = reader.ReadInt32();
        int docCount = reader.ReadInt32();
        return new IndexBinaryHeader(version, modelId, name, dimensions, docCount);
    }
}
