namespace MossGrains.Grains.Sessions;

/// <summary>What a caller asks of a session when it opens (create-or-resume) it. Null members keep what the session has (or the silo's default).</summary>
[GenerateSerializer]
[Alias("moss.SessionOpenRequest")]
public sealed record SessionOpenRequest(
    [property: Id(0)] string? ModelId = null,
    [property: Id(1)] SessionDurability? Durability = null);

/// <summary>A session's state as seen by its grain.</summary>
/// <param name="Key">The grain key, <c>{project}/{name}</c>.</param>
/// <param name="ModelId">The embedding model (from the pushed binary or the opening caller).</param>
/// <param name="Dimensions">Vector dimension; 0 in custom mode before the first document.</param>
/// <param name="DocCount">Live documents.</param>
/// <param name="Durability">What survives a lost activation (<see cref="SessionDurability"/>).</param>
/// <param name="LatestVersion">The version this session last hydrated from or pushed; null when never pushed.</param>
/// <param name="ActivationId">Changes whenever the session is activated again (after idle deactivation or failover).</param>
/// <param name="Silo">Address of the silo holding the activation.</param>
[GenerateSerializer]
[Alias("moss.SessionInfo")]
public sealed record SessionInfo(
    [property: Id(0)] string Key,
    [property: Id(1)] string ModelId,
    [property: Id(2)] int Dimensions,
    [property: Id(3)] int DocCount,
    [property: Id(4)] SessionDurability Durability,
    [property: Id(5)] string? LatestVersion,
    [property: Id(6)] string ActivationId,
    [property: Id(7)] string Silo);

/// <summary>One document on the wire; see the engine's <c>DocumentInfo</c> for the rules.</summary>
[GenerateSerializer]
[Alias("moss.DocumentRecord")]
public sealed record DocumentRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Text,
    [property: Id(2)] IReadOnlyDictionary<string, string>? Metadata = null,
#pragma warning disable CA1819 // a plain array is the natural wire shape for an embedding
    [property: Id(3)] float[]? Embedding = null);
#pragma warning restore CA1819

/// <summary>The answer to AddDocs: how many ids were new and how many replaced an existing document.</summary>
[GenerateSerializer]
[Alias("moss.AddDocsResult")]
public sealed record AddDocsResult([property: Id(0)] int Added, [property: Id(1)] int Updated);

/// <summary>A query on the wire. <see cref="FilterJson"/> is Moss's filter JSON (the engine's <c>Filter.ToJson</c>).</summary>
[GenerateSerializer]
[Alias("moss.SessionQuery")]
public sealed record SessionQuery(
    [property: Id(0)] string Text,
    [property: Id(1)] int TopK = 5,
    [property: Id(2)] float? Alpha = null,
    [property: Id(3)] string? FilterJson = null,
#pragma warning disable CA1819
    [property: Id(4)] float[]? Embedding = null);
#pragma warning restore CA1819

/// <summary>One ranked document of a query.</summary>
[GenerateSerializer]
[Alias("moss.ScoredDocument")]
public sealed record ScoredDocument(
    [property: Id(0)] string Id,
    [property: Id(1)] string Text,
    [property: Id(2)] IReadOnlyDictionary<string, string>? Metadata,
    [property: Id(3)] float Score);

/// <summary>The answer to a query, best first. <see cref="Version"/>: the loaded index's version that answered (null for a session).</summary>
[GenerateSerializer]
[Alias("moss.SessionQueryResult")]
public sealed record SessionQueryResult(
    [property: Id(0)] IReadOnlyList<ScoredDocument> Docs,
    [property: Id(1)] string Query,
    [property: Id(2)] string IndexName,
    [property: Id(3)] double TimeTakenMs,
    [property: Id(4)] string? Version = null);

/// <summary>Which documents GetDocs returns: all (null ids) or the named ones in request order.</summary>
[GenerateSerializer]
[Alias("moss.GetDocsRequest")]
public sealed record GetDocsRequest(
    [property: Id(0)] IReadOnlyList<string>? DocIds = null,
    [property: Id(1)] bool IncludeEmbeddings = false);

/// <summary>What a push wrote: the new immutable version, now the latest.</summary>
[GenerateSerializer]
[Alias("moss.PushResult")]
public sealed record PushResult(
    [property: Id(0)] string Version,
    [property: Id(1)] long Sequence,
    [property: Id(2)] int DocCount,
    [property: Id(3)] long Bytes);
