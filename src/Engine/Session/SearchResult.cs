namespace MossGrains.Engine.Session;

/// <summary>
/// One ranked document of a query. <c>Score</c>: with alpha 1 the cosine similarity; with alpha 0 the BM25 score;
/// otherwise the fused score in [0, 1] (see docs/engine.md).
/// </summary>
public sealed record QueryResultDocumentInfo(string Id, string Text, IReadOnlyDictionary<string, string>? Metadata, float Score);

/// <summary>
/// The answer to <see cref="SessionIndex.QueryAsync"/>: best first. <c>Version</c>: for a loaded index, the version that
/// answered (a read replica that cannot reach its index grain answers from the version it holds); null for a session.
/// </summary>
public sealed record SearchResult(IReadOnlyList<QueryResultDocumentInfo> Docs, string Query, string IndexName, double TimeTakenMs, string? Version = null);
