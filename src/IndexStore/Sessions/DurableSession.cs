using Microsoft.Extensions.Logging;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.Log;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.Sessions;

/// <summary>
/// A <see cref="SessionIndex"/> tied to its key in an <see cref="IIndexStore"/>: opened by create-or-resume (hydrated from
/// the latest version with no embedding, then the write-ahead log replayed), written according to its
/// <see cref="SessionDurability"/>, and pushed as new versions. Writes and pushes run one at a time; queries go straight to
/// <see cref="Index"/>, which never blocks them. The session grain and the client's embedded and local sessions share it.
/// <para>
/// One copy at a time owns the key. Opening takes ownership in the store (a new owner epoch in the pointer), seals the
/// log segments earlier owners wrote after the latest version, and replays them. Every push is conditional on the
/// version this copy last loaded or pushed and on its owner epoch; appends go to this copy's own segment. So a copy that
/// lost ownership (a hung silo that wakes up, a local session behind the live grain) is <see cref="IsFenced"/>: its
/// appends and pushes fail, and it never makes a write visible.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore never creates a wait handle, so it holds nothing to dispose.")]
public sealed partial class DurableSession
{
    private readonly IIndexStore _store;
    private readonly EmbedderCatalog _catalog;
    private readonly DurableSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly List<MutationRecord> _pending = [];
    private readonly List<string> _replayedSegments = [];
    private SessionIndex _index;
    private string _logSegment;
    private bool _logSegmentCreated;
    private long _lastCheckpoint;

    private DurableSession(string key, SessionIndex index, IIndexStore store, LatestPointer claim, SessionDurability durability, EmbedderCatalog catalog, DurableSessionOptions options, TimeProvider time, ILogger logger)
    {
        Key = key;
        _index = index;
        _store = store;
        _catalog = catalog;
        Latest = claim.Version;
        Owner = claim.Owner;
        Durability = durability;
        _options = options;
        _time = time;
        _logger = logger;
        _logSegment = LogSegments.Of(Latest, Owner);
        _lastCheckpoint = time.GetTimestamp();
    }

    public string Key { get; }

    /// <summary>The in-memory index; query it directly (thread-safe, never blocked by writes). <see cref="RebaseAsync"/> replaces it.</summary>
    public SessionIndex Index => Volatile.Read(ref _index);

    public SessionDurability Durability { get; private set; }

    /// <summary>The version last hydrated from or pushed; null when the key was never pushed.</summary>
    public IndexVersion? Latest { get; private set; }

    /// <summary>This copy's owner epoch in the store.</summary>
    public long Owner { get; private set; }

    /// <summary>
    /// True once this copy found that another copy owns the session or another writer published after it: it writes and
    /// pushes nothing more (<see cref="SessionVersionConflictException"/>). A grain drops such a copy; a local session
    /// calls <see cref="RebaseAsync"/>.
    /// </summary>
    public bool IsFenced { get; private set; }

    /// <summary>Writes applied since the last push.</summary>
    public int PendingWrites => _pending.Count;

    /// <summary>How many log records the last open (or rebase) replayed.</summary>
    public int ReplayedWrites { get; private set; }

    /// <summary>
    /// Create-or-resume. Takes ownership of the key; with a version in the store, the session hydrates from it (the model
    /// comes from the binary; a <paramref name="modelId"/> that differs is refused), seals and replays the log earlier
    /// owners wrote after it (with the logged vectors: no embedding), then folds the replayed writes into a new
    /// checkpoint. Without one it starts empty with <paramref name="modelId"/> or the default model.
    /// </summary>
    public static async Task<DurableSession> OpenAsync(
        string key, string? modelId, SessionDurability? durability, IIndexStore store, EmbedderCatalog catalog,
        DurableSessionOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var claim = await store.ClaimOwnershipAsync(key, cancellationToken);
        var index = await LoadAsync(key, claim.Version, modelId, store, catalog, options, time, logger, cancellationToken);
        var session = new DurableSession(key, index, store, claim, durability ?? options.DefaultDurability, catalog, options, time, logger);
        await session._writeGate.WaitAsync(cancellationToken);
        try
        {
            if (await session.CatchUpAsync(excluded: null, cancellationToken))
            {
                // Fold the replayed writes into a checkpoint, so the log starts clean (after a torn tail, appends must not follow garbage).
                await session.PushLockedAsync(cancellationToken);
            }
        }
        finally
        {
            session._writeGate.Release();
        }

        return session;
    }

    /// <summary>True when <paramref name="modelId"/> (an id or an alias) names the model this session's index uses.</summary>
    public bool UsesModel(string modelId) => EmbedderCatalog.Canonicalize(modelId) == Index.ModelId;

    /// <summary>Refuses an opener that names a model other than this session's, naming both.</summary>
    public void EnsureModel(string? modelId, string paramName) => ThrowIfOtherModel(Key, Index.ModelId, modelId, paramName);

    /// <summary>Changes the durability of later writes (an Ephemeral session turned durable starts logging or checkpointing from now on).</summary>
    public void SetDurability(SessionDurability durability) => Durability = durability;

    public async Task<(int Added, int Updated)> AddDocsAsync(IReadOnlyList<DocumentInfo> docs, MutationOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docs);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfFenced();
            var result = await Index.AddDocsAsync(docs, options, cancellationToken);
            if (result.Added + result.Updated > 0)
            {
                // The documents as stored, with the vectors the model gave them: replay and rebase apply these, never the model.
                var stored = await Index.GetDocsAsync(new GetDocumentsOptions { DocIds = [.. docs.Select(d => d.Id)], IncludeEmbeddings = true }, CancellationToken.None);
                await AfterWriteAsync(MutationRecord.AddStored(stored, options?.Upsert ?? true));
            }

            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<int> DeleteDocsAsync(IReadOnlyList<string> docIds, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfFenced();
            int deleted = await Index.DeleteDocsAsync(docIds, cancellationToken);
            if (deleted > 0)
            {
                await AfterWriteAsync(MutationRecord.Delete(docIds));
            }

            return deleted;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Writes the index binary as a new version and makes it the latest, if the latest is still the version this copy
    /// loaded or pushed and this copy still owns the session; otherwise <see cref="SessionVersionConflictException"/>
    /// naming both versions, nothing is published and the copy is <see cref="IsFenced"/>. Then starts a new log segment.
    /// </summary>
    public async Task<IndexVersion> PushAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            return await PushLockedAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Takes ownership again and puts this copy's own writes since its last load or push on top of the latest version:
    /// loads the latest version, replays what other owners logged after it, re-applies this copy's writes (as upserts,
    /// with their stored vectors: no embedding), and pushes the result. The answer to a
    /// <see cref="SessionVersionConflictException"/> for a local session; another conflict during the rebase throws again.
    /// </summary>
    public async Task<IndexVersion> RebaseAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var claim = await _store.ClaimOwnershipAsync(Key, cancellationToken);
            var index = await LoadAsync(Key, claim.Version, Index.ModelId, _store, _catalog, _options, _time, _logger, cancellationToken);
            string ownSegment = _logSegment;
            if (_logSegmentCreated)
            {
                _replayedSegments.Add(ownSegment); // this copy's writes: in the version the rebase pushes, then deleted
            }

            Volatile.Write(ref _index, index);
            Latest = claim.Version;
            Owner = claim.Owner;
            _logSegment = LogSegments.Of(Latest, Owner);
            _logSegmentCreated = false;
            IsFenced = false;
            await CatchUpAsync(excluded: ownSegment, cancellationToken);
            foreach (var write in _pending)
            {
                await write.AsUpsert().ApplyAsync(index, cancellationToken);
            }

            LogRebased(_logger, Key, _pending.Count, Latest?.Id ?? "none");
            return await PushLockedAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>True when a non-Ephemeral session that still owns its key has writes that are not in a pushed version and a checkpoint is due.</summary>
    public bool CheckpointDue =>
        Durability != SessionDurability.Ephemeral && !IsFenced && PendingWrites > 0
        && (PendingWrites >= _options.CheckpointWrites || _time.GetElapsedTime(_lastCheckpoint) >= _options.CheckpointInterval);

    /// <summary>Pushes when <see cref="CheckpointDue"/>; returns the new version or null.</summary>
    public async Task<IndexVersion?> CheckpointIfDueAsync(CancellationToken cancellationToken) =>
        CheckpointDue ? await PushAsync(cancellationToken) : null;

    /// <summary>
    /// Pushes pending writes of a non-Ephemeral session (deactivation, shutdown, dispose); returns the new version or null.
    /// A fenced copy pushes nothing: another copy owns the session.
    /// </summary>
    public async Task<IndexVersion?> FlushAsync(CancellationToken cancellationToken) =>
        Durability != SessionDurability.Ephemeral && !IsFenced && PendingWrites > 0 ? await PushAsync(cancellationToken) : null;

    private async Task<IndexVersion> PushLockedAsync(CancellationToken cancellationToken)
    {
        ThrowIfFenced();
        long started = _time.GetTimestamp();
        using var buffer = new MemoryStream();
        await Index.SaveAsync(buffer, cancellationToken);
        IndexVersion version;
        try
        {
            version = await _store.PublishAsync(
                Key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), PublishPrecondition.OwnedLatestIs(Latest, Owner), cancellationToken);
        }
        catch (VersionConflictException e)
        {
            IsFenced = true;
            LogFenced(_logger, Key, Owner, e.Message);
            // No inner exception: this one crosses the wire to Orleans clients, which know only the contract types.
            throw new SessionVersionConflictException(Key, e.ExpectedVersion, e.FoundVersion, e.Message);
        }

        List<string> obsolete = [.. _replayedSegments, _logSegment];
        Latest = version;
        _logSegment = LogSegments.Of(version, Owner);
        _logSegmentCreated = false;
        _pending.Clear();
        _replayedSegments.Clear();
        _lastCheckpoint = _time.GetTimestamp();
        LogPushed(_logger, Key, version.Id, version.Sequence, version.Length, _time.GetElapsedTime(started).TotalMilliseconds);
        // The new version holds every logged write: the segments that led to it are no longer needed.
        await DeleteSegmentsAsync(obsolete, cancellationToken);
        return version;
    }

    private async Task AfterWriteAsync(MutationRecord record)
    {
        if (Durability == SessionDurability.Acknowledged)
        {
            try
            {
                // Not cancellable: the write is applied in memory and must either be logged or fail the session.
                if (!_logSegmentCreated)
                {
                    await CreateOwnSegmentAsync();
                }

                await _store.AppendLogAsync(Key, _logSegment, record.ToBytes(), CancellationToken.None);
            }
            catch (LogSealedException e)
            {
                IsFenced = true;
                LogFenced(_logger, Key, Owner, e.Message);
                throw new SessionWriteNotDurableException(
                    $"Session '{Key}' is owned by another copy now, so this write was not logged and is not acknowledged; retry it (the session reloads from the store). ({e.Message})");
            }
            catch (Exception e)
            {
                throw new SessionWriteNotDurableException(
                    $"Session '{Key}' could not log the write to the store, so it is not acknowledged; reopen the session and retry. ({e.Message})");
            }
        }

        _pending.Add(record);
    }

    /// <summary>
    /// Creates this copy's log segment, then confirms from the pointer that this copy still owns the key at the version
    /// the segment follows. A later owner seals every segment it lists after its claim, so a segment created before that
    /// check is sealed by it, and one created after fails the check: no append can land where no owner will replay it.
    /// </summary>
    private async Task CreateOwnSegmentAsync()
    {
        await _store.CreateLogAsync(Key, _logSegment, CancellationToken.None);
        var pointer = await _store.GetPointerAsync(Key, CancellationToken.None);
        if (pointer.Owner != Owner || pointer.Version?.Id != Latest?.Id)
        {
            throw new LogSealedException(Key, _logSegment);
        }

        _logSegmentCreated = true;
    }

    /// <summary>
    /// Seals and replays, in owner order, the segments earlier owners wrote after <see cref="Latest"/> (all but
    /// <paramref name="excluded"/>). Returns true when the replay changed the index or found a torn tail, so a checkpoint
    /// should fold it; empty segments are deleted at once.
    /// </summary>
    private async Task<bool> CatchUpAsync(string? excluded, CancellationToken cancellationToken)
    {
        var segments = LogSegments.Preceding(await _store.ListLogsAsync(Key, cancellationToken), Latest, Owner).Where(s => s != excluded).ToList();
        int replayed = 0;
        bool torn = false;
        long started = _time.GetTimestamp();
        foreach (string segment in segments)
        {
            await _store.SealLogAsync(Key, segment, cancellationToken);
            var log = await _store.ReadLogAsync(Key, segment, cancellationToken);
            if (log.TornTail)
            {
                torn = true;
                LogTornTail(_logger, Key, segment, log.Records.Count);
            }

            await MutationRecord.ApplyAllAsync(log.Records.Select(MutationRecord.FromBytes), Index, _options.Index.MaxAddBatchSize, cancellationToken);

            replayed += log.Records.Count;
        }

        ReplayedWrites = replayed;
        if (replayed == 0 && !torn)
        {
            await DeleteSegmentsAsync(segments, cancellationToken);
            return false;
        }

        LogReplayed(_logger, Key, replayed, segments.Count, _time.GetElapsedTime(started).TotalMilliseconds);
        _replayedSegments.AddRange(segments);
        return true;
    }

    private async Task DeleteSegmentsAsync(IEnumerable<string> segments, CancellationToken cancellationToken)
    {
        foreach (string segment in segments)
        {
            try
            {
                await _store.DeleteLogAsync(Key, segment, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSegmentNotDeleted(_logger, e, Key, segment);
            }
        }
    }

    private void ThrowIfFenced()
    {
        if (IsFenced)
        {
            throw new SessionVersionConflictException(Key, Latest?.Id, null,
                $"This copy of session '{Key}' (owner {Owner}, at version {Latest?.Id ?? "none"}) lost ownership to another copy or writer; it writes and pushes nothing. A local session calls RebaseAsync; a session grain reloads on the next call.");
        }
    }

    private static async Task<SessionIndex> LoadAsync(
        string key, IndexVersion? latest, string? modelId, IIndexStore store, EmbedderCatalog catalog, DurableSessionOptions options,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (latest is null)
        {
            return new SessionIndex(Grains.Naming.IndexKey.Parse(key).Name, catalog.Resolve(modelId ?? options.DefaultModel), options.Index);
        }

        long started = time.GetTimestamp();
        var index = await StoredIndexLoader.LoadAsync(
            store, key, latest, catalog, options.Index, stored => ThrowIfOtherModel(key, stored, modelId, nameof(modelId)), cancellationToken);
        LogHydrated(logger, key, latest.Id, index.DocCount, time.GetElapsedTime(started).TotalMilliseconds);
        return index;
    }

    private static void ThrowIfOtherModel(string key, string sessionModelId, string? requestedModelId, string paramName)
    {
        if (requestedModelId is not null && EmbedderCatalog.Canonicalize(requestedModelId) != sessionModelId)
        {
            throw new ArgumentException(
                $"Session '{key}' uses model '{sessionModelId}'; it cannot be opened with model '{requestedModelId}'. Open it without a model, or use another index name.",
                paramName);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Session {Key} hydrated from version {Version}: {DocCount} docs in {Milliseconds:F1} ms")]
    private static partial void LogHydrated(ILogger logger, string key, string version, int docCount, double milliseconds);

    [LoggerMessage(2, LogLevel.Information, "Session {Key} pushed version {Version} (sequence {Sequence}, {Bytes} bytes) in {Milliseconds:F1} ms")]
    private static partial void LogPushed(ILogger logger, string key, string version, long sequence, long bytes, double milliseconds);

    [LoggerMessage(3, LogLevel.Warning, "Session {Key}: log segment {Segment} ends in a torn record after {Records} complete ones (a write that was never acknowledged); it is dropped")]
    private static partial void LogTornTail(ILogger logger, string key, string segment, int records);

    [LoggerMessage(4, LogLevel.Information, "Session {Key} replayed {Records} logged writes of {Segments} segments in {Milliseconds:F1} ms")]
    private static partial void LogReplayed(ILogger logger, string key, int records, int segments, double milliseconds);

    [LoggerMessage(5, LogLevel.Warning, "Session {Key}: old log segment {Segment} could not be deleted; it is no longer read")]
    private static partial void LogSegmentNotDeleted(ILogger logger, Exception exception, string key, string segment);

    [LoggerMessage(6, LogLevel.Warning, "Session {Key}: this copy (owner {Owner}) is fenced and writes nothing more: {Reason}")]
    private static partial void LogFenced(ILogger logger, string key, long owner, string reason);

    [LoggerMessage(7, LogLevel.Information, "Session {Key}: rebased {Writes} writes onto version {Version}")]
    private static partial void LogRebased(ILogger logger, string key, int writes, string version);
}
