using MossGrains.Grains.Sessions;
using Orleans.Concurrency;

namespace MossGrains.Grains.Indexes;

/// <summary>
/// A loaded, read-mostly index, one per key <c>{project}/{name}</c>: hydrated from the latest version in the store (no
/// embedding) and kept current by a refresh reminder that survives deactivation and failover. A refresh downloads and
/// verifies a new version beside the serving one, then swaps one reference: queries in flight finish on the old version.
/// Clients reach it through <see cref="IIndexReaderGrain"/> on their gateway silo.
/// </summary>
[Alias("moss.IIndexGrain")]
public interface IIndexGrain : IGrainWithStringKey
{
    /// <summary>Loads the index (with <paramref name="request"/>'s settings, or the stored ones when null); when it is already loaded, refreshes now and returns once done.</summary>
    [Alias("load")]
    Task<IndexInfo> LoadAsync(LoadIndexRequest? request, CancellationToken cancellationToken = default);

    /// <summary>After a restart: loads the index again (its stored settings and reminder) when it is loaded, and returns its info; null, with nothing loaded, when it is not.</summary>
    [Alias("resume")]
    Task<IndexInfo?> ResumeAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops auto-refresh and frees the memory; the store keeps every version.</summary>
    [Alias("unload")]
    Task UnloadAsync(CancellationToken cancellationToken = default);

    /// <summary>Info of a loaded index; <see cref="IndexNotFoundException"/> when it is not loaded.</summary>
    [Alias("info")]
    [AlwaysInterleave]
    Task<IndexInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    [Alias("query")]
    [AlwaysInterleave]
    Task<SessionQueryResult> QueryAsync(SessionQuery query, CancellationToken cancellationToken = default);

    [Alias("candidates")]
    [AlwaysInterleave]
    Task<IndexCandidates> QueryCandidatesAsync(SessionQuery query, int candidates, CancellationToken cancellationToken = default);

    /// <summary>For read replicas: the version being served and whether replicas keep copies.</summary>
    [Security.SiloInternal]
    [Alias("sync")]
    [AlwaysInterleave]
    Task<ReplicaSync> SyncAsync(CancellationToken cancellationToken = default);

    /// <summary>A mutation job published a version: refresh in the background now (a no-op when the index is not loaded).</summary>
    [Security.SiloInternal]
    [Alias("published")]
    [AlwaysInterleave]
    Task NotifyPublishedAsync(CancellationToken cancellationToken = default);
}
