using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Engine.Embedding;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore;
using MossGrains.IndexStore.Contracts;
using MossGrains.IndexStore.Indexes;
using MossGrains.IndexStore.Sessions;
using Orleans.Concurrency;

namespace MossGrains.Grains.Indexes;

/// <summary>
/// The entry of a loaded index's queries on this silo (see <see cref="IIndexReaderGrain"/>): one stateless-worker
/// activation per silo. Every <see cref="SyncInterval"/> it asks the index grain which version it serves; with
/// <see cref="LoadIndexRequest.ServeFromEverySilo"/> it keeps a replica of that version (downloaded and verified here the
/// same way, swapped the same way) and answers locally, otherwise — on the index grain's own silo, and while its replica
/// is still loading — it forwards. A replica keeps answering while its index grain cannot be reached (a failover), from
/// the version it holds: every answer names its version.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed partial class IndexReaderGrain(
    IIndexStore store,
    EmbedderCatalog catalog,
    IOptions<DurableSessionOptions> options,
    TimeProvider time,
    ILogger<IndexReaderGrain> logger) : Grain, IIndexReaderGrain, Security.IProjectOwned
{
    /// <inheritdoc/>
    public string Project => Naming.IndexKey.Parse(this.GetPrimaryKeyString()).Project;

    /// <summary>How long a replica may lag its index grain after that grain swapped.</summary>
    public static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(2);

    private LoadedIndex? _replica;
    private Task? _following;

    private string Key => this.GetPrimaryKeyString();

    private IIndexGrain Primary => GrainFactory.GetGrain<IIndexGrain>(Key);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(SyncAsync, new GrainTimerCreationOptions(TimeSpan.Zero, SyncInterval) { Interleave = true, KeepAlive = false });
        return Task.CompletedTask;
    }

    public Task<SessionQueryResult> QueryAsync(SessionQuery query, CancellationToken cancellationToken) =>
        _replica?.Current is { } local
            ? LoadedIndexQueries.QueryAsync(local, query, cancellationToken)
            : Primary.QueryAsync(query, cancellationToken);

    public Task<IndexCandidates> QueryCandidatesAsync(SessionQuery query, int candidates, CancellationToken cancellationToken) =>
        _replica?.Current is { } local
            ? LoadedIndexQueries.CandidatesAsync(Key, local, query, candidates, cancellationToken)
            : Primary.QueryCandidatesAsync(query, candidates, cancellationToken);

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        ReplicaSync sync;
        try
        {
            sync = await Primary.SyncAsync(cancellationToken);
        }
        catch (IndexNotFoundException e)
        {
            // Not loaded (any more): nothing to serve or follow here, so hold no activation for it.
            LogSyncFailed(logger, Key, e.Message);
            _replica = null;
            DeactivateOnIdle();
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The index grain is unreachable or moving after a failover (or still hydrating there): keep answering from
            // the replica (each answer names its version); forwarding now would send queries to a dead silo.
            LogSyncFailed(logger, Key, e.Message);
            return;
        }

        if (!sync.ServeFromEverySilo || sync.Silo == RuntimeIdentity)
        {
            // No replicas, or the index grain is on this silo: forwarding to it is an in-process call, a copy would double the memory.
            _replica = null;
            return;
        }

        _replica ??= new LoadedIndex(Key, store, catalog, options.Value.Index, time, logger);
        if (_following is null or { IsCompleted: true } && _replica.Current?.Version.Id != sync.Version.Id)
        {
            // In the background: queries keep going (to the old replica, or forwarded) while the new version downloads.
            _following = FollowAsync(_replica, sync.Version);
        }
    }

    private async Task FollowAsync(LoadedIndex replica, ServingVersion version)
    {
        try
        {
            await replica.FollowAsync(ContractMapping.ToStore(version), CancellationToken.None);
        }
        catch (Exception e)
        {
            LogSyncFailed(logger, Key, e.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Index reader {Key}: could not sync with the index grain; answering from the replica if it holds one, else forwarding. {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, string key, string reason);
}
