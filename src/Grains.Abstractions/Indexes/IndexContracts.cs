using MossGrains.Grains.Sessions;

namespace MossGrains.Grains.Indexes;

/// <summary>
/// How a loaded index keeps itself current. <see cref="PollingInterval"/>: how often the refresh reminder checks the store's
/// "latest" pointer (10 s to 1 day; default 600 s). <see cref="ServeFromEverySilo"/>: every silo a query arrives at keeps
/// its own copy (a read replica that follows the index grain's version), instead of forwarding the query to the one silo
/// holding the index grain.
/// </summary>
[GenerateSerializer]
[Alias("moss.LoadIndexRequest")]
public sealed record LoadIndexRequest(
    [property: Id(0)] bool AutoRefresh = true,
    [property: Id(1)] TimeSpan? PollingInterval = null,
    [property: Id(2)] bool ServeFromEverySilo = false)
{
    public static TimeSpan DefaultPollingInterval { get; } = TimeSpan.FromSeconds(600);

    public static TimeSpan MinimumPollingInterval { get; } = TimeSpan.FromSeconds(10);

    public static TimeSpan MaximumPollingInterval { get; } = TimeSpan.FromDays(1);

    public TimeSpan Interval => PollingInterval ?? DefaultPollingInterval;

    /// <summary>Refuses an interval outside [10 s, 1 day], naming the field and the limits.</summary>
    public void Validate()
    {
        if (Interval < MinimumPollingInterval || Interval > MaximumPollingInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(PollingInterval), Interval,
                $"PollingInterval is {Interval.TotalSeconds:0.###} s; it must be between {MinimumPollingInterval.TotalSeconds:0} s and {MaximumPollingInterval.TotalSeconds:0} s.");
        }
    }
}

/// <summary>
/// A loaded index as its grain sees it: the serving <c>Version</c> (its <c>Sequence</c>, 1 for the first published) and
/// when it started serving (<c>LoadedAt</c>); when the store's pointer was last read (<c>LastCheck</c>) and when the
/// refresh reminder reads it next (<c>NextCheck</c>, null without auto-refresh); why the last refresh failed
/// (<c>LastRefreshError</c>: a corrupt version, an unreachable store; null once one succeeds); the settings; and the
/// address of the silo holding the index grain.
/// </summary>
[GenerateSerializer]
[Alias("moss.IndexInfo")]
public sealed record IndexInfo(
    [property: Id(0)] string Key,
    [property: Id(1)] string ModelId,
    [property: Id(2)] int DocCount,
    [property: Id(3)] string Version,
    [property: Id(4)] long Sequence,
    [property: Id(5)] DateTimeOffset LoadedAt,
    [property: Id(6)] DateTimeOffset? LastCheck,
    [property: Id(7)] DateTimeOffset? NextCheck,
    [property: Id(8)] string? LastRefreshError,
    [property: Id(9)] bool AutoRefresh,
    [property: Id(10)] TimeSpan PollingInterval,
    [property: Id(11)] bool ServeFromEverySilo,
    [property: Id(12)] string Silo);

/// <summary>
/// One index's raw candidates for a multi-index query: semantic ones scored by cosine similarity (comparable across
/// indexes of one model) and keyword ones by BM25; the caller fuses them over the union (see docs/indexes.md).
/// <c>Alpha</c> is the query's, or the index's default when the query set none.
/// </summary>
[GenerateSerializer]
[Alias("moss.IndexCandidates")]
public sealed record IndexCandidates(
    [property: Id(0)] string Key,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string Version,
    [property: Id(3)] IReadOnlyList<ScoredDocument> Semantic,
    [property: Id(4)] IReadOnlyList<ScoredDocument> Keyword,
    [property: Id(5)] float Alpha);

/// <summary>The version an index grain serves, as its read replicas follow it.</summary>
[GenerateSerializer]
[Alias("moss.ServingVersion")]
public sealed record ServingVersion(
    [property: Id(0)] string Id,
    [property: Id(1)] long Sequence,
    [property: Id(2)] long Length,
    [property: Id(3)] string Sha256,
    [property: Id(4)] DateTimeOffset CreatedAt);

/// <summary>What a read replica learns from the index grain at each sync: whether to hold a copy, of which version, and where the grain itself is (a replica there would only duplicate it).</summary>
[GenerateSerializer]
[Alias("moss.ReplicaSync")]
public sealed record ReplicaSync(
    [property: Id(0)] bool ServeFromEverySilo,
    [property: Id(1)] ServingVersion Version,
    [property: Id(2)] string Silo);
