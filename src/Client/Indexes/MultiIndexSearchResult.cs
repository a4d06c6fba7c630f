namespace MossGrains.Client.Indexes;

/// <summary>One ranked document of a multi-index query, with the index it came from.</summary>
public sealed record MultiIndexDocument(string IndexName, string Id, string Text, IReadOnlyDictionary<string, string>? Metadata, float Score);

/// <summary>The answer to <see cref="IMossClient.QueryIndexesAsync"/>: the merged top-k, best first, and the version of each index that answered.</summary>
public sealed record MultiIndexSearchResult(IReadOnlyList<MultiIndexDocument> Docs, string Query, IReadOnlyDictionary<string, string> Versions, double TimeTakenMs);
