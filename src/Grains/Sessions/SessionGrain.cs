using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Limits;
using MossGrains.Grains.Idempotency;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Registry;
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
/// Quotas (<see cref="MossLimitsOptions"/>): the first call takes a slot of the project's <see cref="IProjectLimitsGrain"/>
/// (refused: the activation goes away) and deactivation gives it back; a write checks the documents it would add, and a
/// session whose last published binary is over the limit takes no more documents.
/// Placed on the silo whose gateway received the first call: the agent that opens a session reaches it without a
/// silo-to-silo hop; agents that join later through other gateways take one hop.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class SessionGrain(
    [PersistentState("session", MossGrainStorage.Name)] IPersistentState<SessionSettingsState> settings,
    [PersistentState("answers", MossGrainStorage.Name)] IPersistentState<RememberedAnswers> answers,
    IIndexStore store,
    EmbedderCatalog catalog,
    IOptions<DurableSessionOptions> options,
    IOptions<MossLimitsOptions> limits,
    TimeProvider time,
    MossMetrics metrics,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemembersAnswers, Security.IProjectOwned
{
    /// <inheritdoc/>
    public string Project => Naming.IndexKey.Parse(this.GetPrimaryKeyString()).Project;

    private static readonly TimeSpan CheckpointTick = TimeSpan.FromSeconds(5);
    private Task<DurableSession>? _opening;
    private Task? _admission;

    private string Key => this.GetPrimaryKeyString();

    private IProjectLimitsGrain ProjectLimits => GrainFactory.GetGrain<IProjectLimitsGrain>(Naming.IndexKey.Parse(Key).Project);

    /// <summary>Answers of writes sent with an idempotency key (IdempotencyFilter).</summary>
    public IPersistentState<RememberedAnswers> RememberedAnswers => answers;

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
        if (_opening is { IsCompletedSuccessfully: true } opened)
        {
            try
            {
                if (await Task.Run(() => opened.Result.FlushAsync(cancellationToken), cancellationToken) is { } version)
                {
                    LogFlushed(logger, Key, version.Id, reason.ReasonCode.ToString());
                    await ReportPublishedAsync(version.Length);
                }
            }
            catch (Exception e)
            {
                LogFlushFailed(logger, e, Key, opened.Result.Durability);
            }
        }

        if (_admission is { IsCompletedSuccessfully: true })
        {
            try
            {
                await ProjectLimits.ReleaseSessionAsync(Key, cancellationToken);
            }
            catch (Exception e)
            {
                // The slot is freed anyway when the project next reaches its limit (the limits grain checks live activations).
                LogReleaseFailed(logger, e, Key);
            }
        }
    }

    public async Task<SessionInfo> OpenAsync(SessionOpenRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        catalog.CheckNamed(request.ModelId, EmbedderCatalog.ModelIdField);
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
            await RecordAsync(session);
        }

        return Info(session);
    }

    public async Task<SessionInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Info(await SessionAsync(null, null, cancellationToken));

    public async Task<AddDocsResult> AddDocsAsync(IReadOnlyList<DocumentRecord> docs, bool upsert, CancellationToken cancellationToken)
    {
        var batch = ContractMapping.ToEngine(docs);
        var session = await SessionAsync(null, null, cancellationToken);
        await EnsureDocsFitAsync(session, docs, cancellationToken);
        var options = new MutationOptions { Upsert = upsert };
        try
        {
            var (added, updated) = await Task.Run(() => session.AddDocsAsync(batch, options, cancellationToken), cancellationToken);
            metrics.DocsWritten("add", added + updated);
            return new AddDocsResult(added, updated);
        }
        catch (Exception e) when (e is SessionWriteNotDurableException or SessionVersionConflictException)
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
        catch (Exception e) when (e is SessionWriteNotDurableException or SessionVersionConflictException)
        {
            DiscardUnloggedState();
            throw;
        }
    }

    public async Task<int> GetDocCountAsync(CancellationToken cancellationToken) =>
        (await SessionAsync(null, null, cancellationToken)).Index.DocCount;

    public Task<PushResult> PushIndexAsync(CancellationToken cancellationToken) =>
        PushAsync(session => session.PushAsync(cancellationToken), cancellationToken);

    public Task<PushResult> RebaseIndexAsync(CancellationToken cancellationToken) =>
        PushAsync(session => session.RebaseAsync(cancellationToken), cancellationToken);

    private async Task<PushResult> PushAsync(Func<DurableSession, Task<IndexStore.Versions.IndexVersion>> push, CancellationToken cancellationToken)
    {
        var session = await SessionAsync(null, null, cancellationToken);
        try
        {
            var version = await Task.Run(() => push(session), cancellationToken);
            await ReportPublishedAsync(version.Length);
            await RecordAsync(session);
            return new PushResult(version.Id, version.Sequence, session.Index.DocCount, version.Length);
        }
        catch (SessionVersionConflictException)
        {
            // Another copy or writer published first: this copy publishes nothing more; the next call reloads the latest.
            DiscardUnloggedState();
            throw;
        }
    }

    /// <summary>
    /// The session, opened on first use (create-or-resume) with the caller's choices, else the persisted ones, else the
    /// defaults. A failed open is not cached: the next call tries again (the store may have been unreachable). The open is
    /// shared by every call waiting for it, so one caller's cancellation stops only its own wait, and each waits at most
    /// <see cref="DurableSessionOptions.HydrationWait"/> (then <see cref="HydrationPendingException"/>; the open goes on).
    /// </summary>
    private async Task<DurableSession> SessionAsync(string? modelId, Grains.Sessions.SessionDurability? durability, CancellationToken cancellationToken)
    {
        await AdmittedAsync(cancellationToken);
        if (_opening is { IsFaulted: true } or { IsCanceled: true })
        {
            _opening = null;
        }

        var opening = _opening ??= DurableSession.OpenAsync(
            Key,
            modelId ?? settings.State.ModelId,
            durability ?? settings.State.Durability,
            store,
            catalog,
            options.Value,
            time,
            logger,
            CancellationToken.None);
        return await HydrationBound.WaitAsync(opening, "Session", Key, options.Value.HydrationWait, time, cancellationToken);
    }

    private async Task CheckpointIfDueAsync(CancellationToken cancellationToken)
    {
        if (_opening is not { IsCompletedSuccessfully: true } opened || !opened.Result.CheckpointDue)
        {
            return;
        }

        try
        {
            if (await Task.Run(() => opened.Result.CheckpointIfDueAsync(cancellationToken), cancellationToken) is { } version)
            {
                await ReportPublishedAsync(version.Length);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCheckpointFailed(logger, e, Key);
            if (opened.Result.IsFenced)
            {
                // Another copy owns the session (this silo was hung or partitioned): never publish again from here.
                DiscardUnloggedState();
            }
        }
    }

    /// <summary>
    /// This session's slot among the project's sessions in memory, taken once per activation (shared by the calls that
    /// arrive meanwhile). A refused activation deactivates at once, so it holds no memory and no slot; a failed attempt
    /// (the limits grain unreachable) is tried again by the next call.
    /// </summary>
    private Task AdmittedAsync(CancellationToken cancellationToken)
    {
        if (_admission is { IsFaulted: true } or { IsCanceled: true })
        {
            _admission = null;
        }

        return (_admission ??= AdmitAsync()).WaitAsync(cancellationToken);

        async Task AdmitAsync()
        {
            try
            {
                await ProjectLimits.AcquireSessionAsync(Key, CancellationToken.None); // shared by every waiting call: none of them cancels it
            }
            catch (QuotaExceededException)
            {
                this.DeactivateOnIdle();
                throw;
            }
        }
    }

    /// <summary>
    /// Refuses a batch that would take the session over its project's documents limit (only ids it does not hold yet count:
    /// an upsert of an existing id replaces it), or any batch while its last published binary is over the bytes limit.
    /// Writes are not interleaved, so nothing changes the count between this check and the write.
    /// </summary>
    private async Task EnsureDocsFitAsync(DurableSession session, IReadOnlyList<DocumentRecord> docs, CancellationToken cancellationToken)
    {
        var quota = limits.Value.For(Naming.IndexKey.Parse(Key).Project);
        if (session.Latest is { } latest)
        {
            quota.EnsureIndexFits(Key, latest.Length);
        }

        string[] ids = [.. docs.Where(d => d?.Id is not null).Select(d => d.Id).Distinct(StringComparer.Ordinal)];
        if ((long)session.Index.DocCount + ids.Length <= quota.MaxDocsPerSession)
        {
            return; // fits even if every id is new: no need to look them up
        }

        var held = await session.Index.GetDocsAsync(new GetDocumentsOptions { DocIds = ids }, cancellationToken);
        quota.EnsureDocsFit(Key, session.Index.DocCount, ids.Length - held.Count);
    }

    /// <summary>Tells the project's limits grain the size of a binary this session published (for <c>GET …/limits</c>); a failure only loses the report.</summary>
    private async Task ReportPublishedAsync(long bytes)
    {
        try
        {
            await ProjectLimits.ReportPublishedAsync(Key, bytes);
        }
        catch (Exception e)
        {
            LogReportFailed(logger, Key, e.Message);
        }
    }

    /// <summary>
    /// After a write that could not be logged (memory may hold it) or a lost ownership: drop this activation so the next
    /// one reloads from the store.
    /// </summary>
    private void DiscardUnloggedState()
    {
        _opening = null;
        this.DeactivateOnIdle();
    }

    /// <summary>
    /// Tells the project's registry of the session's settings and last push (bounded; see <see cref="RegistryRecording"/>).
    /// An ephemeral session never pushed is not recorded: nothing of it outlives its activation.
    /// </summary>
    private Task RecordAsync(DurableSession session)
    {
        if (session.Durability == Grains.Sessions.SessionDurability.Ephemeral && session.Latest is null)
        {
            return Task.CompletedTask;
        }

        var (project, name) = IndexKey.Parse(session.Key);
        var entry = new RegisteredSession(name, session.Index.ModelId, session.Durability, session.Latest?.Id,
            session.Latest is null ? 0 : session.Index.DocCount, session.Index.Dimensions, time.GetUtcNow());
        return GrainFactory.TryRecordAsync(project, r => r.RecordSessionAsync(entry), time, logger);
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

    [LoggerMessage(4, LogLevel.Warning, "Session {Key}: its slot among the project's sessions was not released; the limits grain frees it when the project reaches its limit")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(5, LogLevel.Debug, "Session {Key}: the published size was not reported to the project's limits ({Reason})")]
    private static partial void LogReportFailed(ILogger logger, string key, string reason);
}
