using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Engine.Embedding;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Registry;
using MossGrains.Grains.Sessions;
using MossGrains.Grains.Telemetry;
using MossGrains.IndexStore;
using MossGrains.IndexStore.Contracts;
using MossGrains.IndexStore.Indexes;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Grains.Indexes;

/// <summary>
/// A loaded index (see <see cref="IIndexGrain"/>). The <see cref="LoadedIndex"/> does the hydrating and swapping; this grain
/// adds the refresh reminder, the persisted settings, and queries on the thread pool (interleaved, so one hot index uses
/// every core of its silo). It stays active while loaded: deactivating would drop a large index that must be downloaded again.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed partial class IndexGrain(
    [PersistentState("index", MossGrainStorage.Name)] IPersistentState<LoadedIndexState> state,
    IIndexStore store,
    EmbedderCatalog catalog,
    IOptions<DurableSessionOptions> options,
    TimeProvider time,
    MossMetrics metrics,
    ILogger<IndexGrain> logger) : Grain, IIndexGrain, IRemindable, Security.IProjectOwned
{
    /// <inheritdoc/>
    public string Project => Naming.IndexKey.Parse(this.GetPrimaryKeyString()).Project;

    private const string RefreshReminder = "moss-refresh";
    private LoadedIndex? _index;
    private Task? _firstLoad;
    private DateTimeOffset? _nextCheck;
    private TimeSpan? _registeredInterval;

    private string Key => this.GetPrimaryKeyString();


    private LoadedIndex Index => _index ??= new LoadedIndex(Key, store, catalog, options.Value.Index, time, logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.IndexActivated(1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.IndexActivated(-1);
        return Task.CompletedTask;
    }

    public async Task<IndexInfo> LoadAsync(LoadIndexRequest? request, CancellationToken cancellationToken)
    {
        request?.Validate();
        if (Index.Current is null)
        {
            try
            {
                await FirstLoadAsync(cancellationToken);
            }
            catch (IndexNotFoundException) when (!state.State.Loaded)
            {
                this.DeactivateOnIdle(); // nothing to hold: do not stay active for a name that does not exist
                throw;
            }
        }
        else
        {
            Counted(await Index.RefreshAsync(force: true, cancellationToken));
        }

        if (!state.State.Loaded || (request is not null && request != state.State.Settings))
        {
            state.State.Loaded = true;
            state.State.Settings = request ?? state.State.Settings;
            await state.WriteStateAsync(cancellationToken);
        }

        await ScheduleRefreshAsync(cancellationToken);
        await RecordAsync();
        return Info();
    }

    public async Task<IndexInfo?> ResumeAsync(CancellationToken cancellationToken)
    {
        if (!state.State.Loaded)
        {
            this.DeactivateOnIdle();
            return null;
        }

        return Index.Current is null ? await LoadAsync(null, cancellationToken) : Info();
    }

    public async Task UnloadAsync(CancellationToken cancellationToken)
    {
        if (await this.GetReminder(RefreshReminder, cancellationToken) is { } reminder)
        {
            await this.UnregisterReminder(reminder, cancellationToken);
        }

        if (state.RecordExists)
        {
            await state.ClearStateAsync(cancellationToken);
        }

        _index = null;
        _firstLoad = null;
        this.DeactivateOnIdle();
        await GrainFactory.TryRecordAsync(Project, r => r.RemoveIndexAsync(IndexKey.Parse(Key).Name), time, logger);
    }

    public async Task<IndexInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        await ServingAsync(cancellationToken);
        return Info();
    }

    public async Task<SessionQueryResult> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        var result = await LoadedIndexQueries.QueryAsync(await ServingAsync(cancellationToken), query, cancellationToken);
        metrics.Queried("index", result.TimeTakenMs);
        return result;
    }

    public async Task<IndexCandidates> QueryCandidatesAsync(SessionQuery query, int candidates, CancellationToken cancellationToken) =>
        await LoadedIndexQueries.CandidatesAsync(Key, await ServingAsync(cancellationToken), query, candidates, cancellationToken);

    public async Task<ReplicaSync> SyncAsync(CancellationToken cancellationToken)
    {
        var serving = await ServingAsync(cancellationToken);
        return new ReplicaSync(state.State.Settings.ServeFromEverySilo, ContractMapping.ToContract(serving.Version), RuntimeIdentity);
    }

    public Task NotifyPublishedAsync(CancellationToken cancellationToken)
    {
        if (_firstLoad is { IsCompleted: false } loading)
        {
            // This call interleaves with a first load under way, which may have read the pointer before the publish:
            // check again once it is done. Deactivating here would drop the index the moment it is loaded.
            _ = RefreshAfterAsync(loading);
        }
        else if (state.State.Loaded && Index.Current is not null)
        {
            _ = RefreshInBackgroundAsync();
        }
        else if (!state.State.Loaded)
        {
            this.DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!state.State.Loaded || !state.State.Settings.AutoRefresh)
        {
            // Unloaded, or auto-refresh switched off since the reminder was registered.
            return ScheduleRefreshAsync(CancellationToken.None);
        }

        _nextCheck = time.GetUtcNow() + state.State.Settings.Interval;
        // In the background: a long download must not hold the reminder's call, and queries keep going meanwhile.
        _ = Index.Current is null ? FirstLoadInBackgroundAsync() : RefreshInBackgroundAsync();
        return Task.CompletedTask;
    }

    /// <summary>The serving version; after a reactivation (failover, restart) of a loaded index, or while its first load runs, waits for the hydration (bounded).</summary>
    private async Task<LoadedVersion> ServingAsync(CancellationToken cancellationToken)
    {
        if (Index.Current is { } current)
        {
            return current;
        }

        // Not loaded and no load under way: nothing to wait for. A first load under way (LoadAsync) is waited for, bounded.
        if (!state.State.Loaded && _firstLoad is not { IsCompleted: false })
        {
            this.DeactivateOnIdle();
            throw new IndexNotFoundException($"Index '{Key}' is not loaded: call LoadIndexAsync first.");
        }

        await FirstLoadAsync(cancellationToken, bounded: true);
        return Index.Serving;
    }

    /// <summary>
    /// The first hydration, shared by every caller waiting for it; a failed one is tried again by the next caller. A query
    /// (<paramref name="bounded"/>) waits at most <see cref="DurableSessionOptions.HydrationWait"/>; a load waits until done.
    /// </summary>
    private Task FirstLoadAsync(CancellationToken cancellationToken, bool bounded = false)
    {
        if (_firstLoad is { IsFaulted: true } or { IsCanceled: true })
        {
            _firstLoad = null;
        }

        _firstLoad ??= Index.RefreshAsync(force: true, CancellationToken.None);
        return bounded
            ? HydrationBound.WaitAsync(_firstLoad, "Loaded index", Key, options.Value.HydrationWait, time, cancellationToken)
            : _firstLoad.WaitAsync(cancellationToken);
    }

    private async Task ScheduleRefreshAsync(CancellationToken cancellationToken)
    {
        var settings = state.State.Settings;
        var existing = await this.GetReminder(RefreshReminder, cancellationToken);
        if (state.State.Loaded && settings.AutoRefresh)
        {
            if (existing is null || _registeredInterval != settings.Interval)
            {
                await this.RegisterOrUpdateReminder(RefreshReminder, settings.Interval, settings.Interval, cancellationToken);
                _registeredInterval = settings.Interval;
                _nextCheck = time.GetUtcNow() + settings.Interval;
            }
        }
        else if (existing is not null)
        {
            await this.UnregisterReminder(existing, cancellationToken);
            _registeredInterval = null;
            _nextCheck = null;
        }
    }

    private async Task FirstLoadInBackgroundAsync()
    {
        try
        {
            await FirstLoadAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            LogLoadFailed(logger, e, Key);
        }
    }

    private async Task RefreshAfterAsync(Task firstLoad)
    {
        try
        {
            await firstLoad;
        }
        catch (Exception)
        {
            return; // the load's own caller sees and reports its failure
        }

        await RefreshInBackgroundAsync();
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            var outcome = await Index.RefreshAsync(force: false, CancellationToken.None);
            Counted(outcome);
            if (outcome == RefreshOutcome.Swapped)
            {
                await RecordAsync();
            }
        }
        catch (Exception e)
        {
            metrics.Refreshed("failed");
            LogLoadFailed(logger, e, Key);
        }
    }

    private void Counted(RefreshOutcome outcome) => metrics.Refreshed(outcome switch
    {
        RefreshOutcome.Swapped => "swapped",
        RefreshOutcome.Refused => "failed",
        _ => "unchanged",
    });

    /// <summary>Tells the project's registry this index is loaded, with its settings and serving version (bounded; see <see cref="RegistryRecording"/>).</summary>
    private Task RecordAsync() =>
        Index.Current is null
            ? Task.CompletedTask
            : GrainFactory.TryRecordAsync(Project, r => r.RecordIndexAsync(RegisteredIndex.From(Info(), state.State.Settings, time.GetUtcNow())), time, logger);

    private IndexInfo Info() => Index.Describe(state.State.Settings, _nextCheck, RuntimeIdentity);

    [LoggerMessage(1, LogLevel.Error, "Index {Key}: loading failed; retried at the next refresh or query")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string key);
}
