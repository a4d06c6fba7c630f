using MossGrains.Engine.Analysis;

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
    /// <summary>The keyword-analysis settings the postings were built under.</summary>
    internal AnalyzerSettings Analyzer { get; private init; } = null!;

    /// <summary>Document slots in the payload (live and deleted).</summary>
    internal int SlotCount { get; private init; }

    /// <summary>Bytes of payload between the header and the checksum.</summary>
    internal long PayloadLength { get; private init; }

    /// <summary>Reads the header; throws <see cref="IndexFormatException"/> when the bytes are not a readable index binary of this build.</summary>
    public static IndexBinaryHeader Read(byte[] binary)
    {
        ArgumentNullException.ThrowIfNull(binary);
        return Read(binary, new PayloadReader(binary, 0, binary.Length));
    }

    /// <summary>Reads the header from the start of <paramref name="bytes"/>, leaving <paramref name="reader"/> at the payload.</summary>
    internal static IndexBinaryHeader Read(byte[] bytes, PayloadReader reader)
    {
        if (bytes.Length < IndexBinaryFormat.Magic.Length || !bytes.AsSpan(0, IndexBinaryFormat.Magic.Length).SequenceEqual(IndexBinaryFormat.Magic))
        {
            throw new IndexFormatException("Not a MossGrains index binary (bad magic bytes).");
        }

        reader.Take(IndexBinaryFormat.Magic.Length);
        int version = reader.ReadInt32();
        if (version == 1)
        {
            throw new IndexFormatException(
                $"Index binary format version 1 does not record its keyword-analysis settings (stemming, stopwords); this build reads version {IndexBinaryFormat.CurrentVersion}. " +
                "Rebuild the index by adding its documents again, then save it.");
        }

        if (version != IndexBinaryFormat.CurrentVersion)
        {
            throw new IndexFormatException($"Index binary format version {version} is not supported; this build reads version {IndexBinaryFormat.CurrentVersion}.");
        }

        string modelId = reader.ReadString();
        string name = reader.ReadString();
        var analyzer = new AnalyzerSettings(reader.ReadInt32(), reader.ReadBoolean(), reader.ReadInt32(), reader.ReadString());
        int dimensions = reader.ReadInt32();
        int docCount = reader.ReadInt32();
        return new IndexBinaryHeader(version, modelId, name, dimensions, docCount)
        {
            Analyzer = analyzer,
            SlotCount = reader.ReadInt32(),
            PayloadLength = reader.ReadInt64(),
        };
    }
}
