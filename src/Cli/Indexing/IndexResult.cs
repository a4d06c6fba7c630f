namespace MossGrains.Cli.Indexing;

/// <summary>What an indexing run did: documents sent, jobs, time, and the index version the last job built.</summary>
public sealed record IndexResult(string Index, int Docs, int Jobs, TimeSpan Elapsed, string? Version, int DocCount);
