using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Telemetry;
using MossGrains.IndexStore;
using MossGrains.IndexStore.Contracts;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Grains.Sessions;

/// <summary>
/// A session held in silo memory (see <see cref="ISessionGrain"/>). The <see cref="DurableSession"/> does the work; this
/// grain adds what Orleans gives: one activation per key, opening on first call, a checkpoint timer, a flush on
/// deactivation. CPU work (embedding, search) runs on the thread pool, so interleaved queries use every core while the
/// activation's turns stay free; writes are ordinary (non-interleaved) calls, so they stay ordered.
/// Placed on the silo whose gateway received the first call: the agent that opens a session reaches it without a
/// silo-to-silo hop; agents that join later through other gateways take one hop.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class SessionGrain(
    [PersistentState("session", MossGrainStorage.Name)] IPersistentState<SessionSettingsState> settings,
    IIndexStore store,
    EmbedderCatalog catalog,
    IOptions<DurableSessionOptions> options,
    TimeProvider time,
    MossMetrics metrics,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, Security.IProjectOwned
{
    /// <inheritdoc/>
    public string Project => Naming.IndexKey.Parse(this.GetPrimaryKeyString()).Project;

    private static readonly TimeSpan CheckpointTick = TimeSpan.FromSeconds(5);
    private Task<DurableSession>? _opening;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.SessionActivated(1);
        var tick = options.Value.CheckpointInterval < CheckpointTick ? options.Value.CheckpointInterval : CheckpointTick;
        this.RegisterGrainTimer(CheckpointIfDueAsync, new GrainTimerCreationOptions(tick, tick) { Interleave = false, KeepAlive = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.SessionActivated(-1);
        if (_opening is not { IsCompletedSuccessfully: true } opened)
        {
            return;
        }

        try
        {
            if (await Task.Run(() => opened.Result.FlushAsync(cancellationToken), cancellationToken) is { } version)
            {
                LogFlushed(logger, this.GetPrimaryKeyString(), version.Id, reason.ReasonCode.ToString());
            }
        }
        catch (Exception e)
        {
            LogFlushFailed(logger, e, this.GetPrimaryKeyString(), opened.Result.Durability);
        }
    }

    public async Task<SessionInfo> OpenAsync(SessionOpenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = await SessionAsync(request.ModelId, request.Durability, cancellationToken);
        if (request.ModelId is { } model && !session.UsesModel(model) && session.Latest is null && session.Index.DocCount == 0)
        {
            // Opened earlier by a call that named no model, still empty: start again with the model asked for.
            _opening = null;
            session = await SessionAsync(request.ModelId, request.Durability, cancellationToken);
        }

        session.EnsureModel(request.ModelId, nameof(request));
        if (request.Durability is { } durability && durability != session.Durability)
        {
            session.SetDurability(durability);
        }

        if (settings.State.ModelId != session.Index.ModelId || settings.State.Durability != session.Durability)
        {
            settings.State.ModelId = session.Index.ModelId;
            settings.State.Durability = session.Durability;
            await settings.WriteStateAsync(cancellationToken);
        }

        return Info(session);
    }

    public async Task<SessionInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Info(await SessionAsync(null, null, cancellationToken));

    public async Task<AddDocsResult> AddDocsAsync(IReadOnlyList<DocumentRecord> docs, bool upsert, CancellationToken cancellationToken)
    {
        var batch = ContractMapping.ToEngine(docs);
        var session = await SessionAsync(null, null, cancellationToken);
        var options = new MutationOptions { Upsert = upsert };
        try
        {
            var (added, updated) = await Task.Run(() => session.AddDocsAsync(batch, options, cancellationToken), cancellationToken);
            metrics.DocsWritten("add", added + updated);
            return new AddDocsResult(added, updated);
        }
        catch (SessionWriteNotDurableException)
        {
            DiscardUnloggedState();
            throw;
        }
    }

    public async Task<SessionQueryResult> QueryAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var session = await SessionAsync(null, null, cancellationToken);
        var engineOptions = ContractMapping.ToEngine(query);
        var result = await Task.Run(() => session.Index.QueryAsync(query.Text, engineOptions, cancellationToken), cancellationToken);
        metrics.Queried("session", result.TimeTakenMs);
        return ContractMapping.ToContract(result);
    }

    public async Task<IReadOnlyList<DocumentRecord>> GetDocsAsync(GetDocsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var session = await SessionAsync(null, null, cancellationToken);
        var docs = await session.Index.GetDocsAsync(new GetDocumentsOptions { DocIds = request.DocIds, IncludeEmbeddings = request.IncludeEmbeddings }, cancellationToken);
        return [.. docs.Select(ContractMapping.ToContract)];
    }

    public async Task<int> DeleteDocsAsync(IReadOnlyList<string> docIds, CancellationToken cancellationToken)
    {
        var session = await SessionAsync(null, null, cancellationToken);
        try
        {
            int deleted = await session.DeleteDocsAsync(docIds, cancellationToken);
            metrics.DocsWritten("delete", deleted);
            return deleted;
        }
        catch (SessionWriteNotDurableException)
        {
            DiscardUnloggedState();
            throw;
        }
    }

    public async Task<int> GetDocCountAsync(CancellationToken cancellationToken) =>
        (await SessionAsync(null, null, cancellationToken)).Index.DocCount;

    public async Task<PushResult> PushIndexAsync(CancellationToken cancellationToken)
    {
        var session = await SessionAsync(null, null, cancellationToken);
        var version = await Task.Run(() => session.PushAsync(cancellationToken), cancellationToken);
        return new PushResult(version.Id, version.Sequence, session.Index.DocCount, version.Length);
    }

    /// <summary>
    /// The session, opened on first use (create-or-resume) with the caller's choices, else the persisted ones, else the
    /// defaults. A failed open is not cached: the next call tries again (the store may have been unreachable). The open is
    /// shared by every call waiting for it, so one caller's cancellation stops only its own wait, and each waits at most
    /// <see cref="DurableSessionOptions.HydrationWait"/> (then <see cref="HydrationPendingException"/>; the open goes on).
    /// </summary>
    private async Task<DurableSession> SessionAsync(string? modelId, Grains.Sessions.SessionDurability? durability, CancellationToken cancellationToken)
    {
        if (_opening is { IsFaulted: true } or { IsCanceled: true })
        {
            _opening = null;
        }

        var opening = _opening ??= DurableSession.OpenAsync(
            this.GetPrimaryKeyString(),
            modelId ?? settings.State.ModelId,
            durability ?? settings.State.Durability,
            store,
            catalog,
            options.Value,
            time,
            logger,
            CancellationToken.None);
        return await HydrationBound.WaitAsync(opening, "Session", this.GetPrimaryKeyString(), options.Value.HydrationWait, time, cancellationToken);
    }

    private async Task CheckpointIfDueAsync(CancellationToken cancellationToken)
    {
        if (_opening is not { IsCompletedSuccessfully: true } opened || !opened.Result.CheckpointDue)
        {
            return;
        }

        try
        {
            await Task.Run(() => opened.Result.CheckpointIfDueAsync(cancellationToken), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCheckpointFailed(logger, e, this.GetPrimaryKeyString());
        }
    }

    /// <summary>After a write that could not be logged, memory may hold it: drop this activation so the next one reloads from the store.</summary>
    private void DiscardUnloggedState()
    {
        _opening = null;
        this.DeactivateOnIdle();
    }

    private SessionInfo Info(DurableSession session) => new(
        session.Key, session.Index.ModelId, session.Index.Dimensions, session.Index.DocCount, session.Durability,
        session.Latest?.Id, GrainContext.ActivationId.ToString(), RuntimeIdentity);

    [LoggerMessage(1, LogLevel.Information, "Session {Key} flushed to version {Version} on deactivation ({Reason})")]
    private static partial void LogFlushed(ILogger logger, string key, string version, string reason);

    [LoggerMessage(2, LogLevel.Error, "Session {Key} ({Durability}) could not flush on deactivation; writes since its last checkpoint are only in its log, if any")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string key, Grains.Sessions.SessionDurability durability);

    [LoggerMessage(3, LogLevel.Warning, "Session {Key}: checkpoint failed; retried at the next tick")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string key);
}
