using MossGrains.Engine.Analysis;

namespace MossGrains.Engine.Persistence;

/// <summary>Constants of the index binary (layout in docs/engine.md).</summary>
internal static class IndexBinaryFormat
{
    /// <summary>"MOSSGIDX" in ASCII.</summary>
    public static ReadOnlySpan<byte> Magic => "MOSSGIDX"u8;

    /// <summary>2 added the keyword-analysis settings to the header; version 1 files are refused.</summary>
    public const int CurrentVersion = 2;

    public const int ChecksumLength = 32;
}

/// <summary>What the header of an index binary says.</summary>
internal sealed record IndexHeader(int Version, string ModelId, int Dimensions, int DocCount, string Name, AnalyzerSettings Analyzer);

/// <summary>
/// What the loading index requires: its model id, its dimension when the model fixes one (null in custom mode),
/// and its keyword-analysis settings (the saved postings are only meaningful under the same ones).
/// </summary>
internal sealed record IndexHeaderExpectation(string ModelId, int? Dimensions, AnalyzerSettings Analyzer);
