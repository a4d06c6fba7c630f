namespace MossGrains.Engine.Persistence;

/// <summary>Constants of the index binary (layout in docs/engine.md).</summary>
internal static class IndexBinaryFormat
{
    /// <summary>"MOSSGIDX" in ASCII.</summary>
    public static ReadOnlySpan<byte> Magic => "MOSSGIDX"u8;

    public const int CurrentVersion = 1;

    public const int ChecksumLength = 32;
}

/// <summary>What the header of an index binary says.</summary>
internal sealed record IndexHeader(int Version, string ModelId, int Dimensions, int DocCount, string Name);

/// <summary>What the loading index requires: its model id, and its dimension when the model fixes one (null in custom mode).</summary>
internal sealed record IndexHeaderExpectation(string ModelId, int? Dimensions);
