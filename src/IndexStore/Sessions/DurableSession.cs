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
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore never creates a wait handle, so it holds nothing to dispose.")]
public sealed partial class DurableSession
{
    private readonly IIndexStore _store;
    private readonly DurableSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private string _logSegment;
    private long _lastCheckpoint;

    private DurableSession(string key, SessionIndex index, IIndexStore store, IndexVersion? latest, SessionDurability durability, DurableSessionOptions options, TimeProvider time, ILogger logger)
    {
        Key = key;
        Index = index;
        _store = store;
        Latest = latest;
        Durability = durability;
        _options = options;
        _time = time;
        _logger = logger;
        _logSegment = latest?.Id ?? IndexVersion.InitialLogSegment;
        _lastCheckpoint = time.GetTimestamp();
    }

    public string Key { get; }

    /// <summary>The in-memory index; query it directly (thread-safe, never blocked by writes).</summary>
    public SessionIndex Index { get; }

    public SessionDurability Durability { get; private set; }

    /// <summary>The version last hydrated from or pushed; null when the key was never pushed.</summary>
    public IndexVersion? Latest { get; private set; }

    /// <summary>Writes applied since the last push.</summary>
    public int PendingWrites { get; private set; }

    /// <summary>How many log records the last open replayed.</summary>
    public int ReplayedWrites { get; private set; }

    /// <summary>
    /// Create-or-resume. With a version in the store, the session hydrates from it (the model comes from the binary; a
    /// <paramref name="modelId"/> that differs is refused) and replays the log that follows it, then folds the replayed
    /// writes into a new checkpoint. Without one it starts empty with <paramref name="modelId"/> or the default model.
    /// </summary>
    public static async Task<DurableSession> OpenAsync(
        string key, string? modelId, SessionDurability? durability, IIndexStore store, EmbedderCatalog catalog,
        DurableSessionOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var (_, name) = Grains.Naming.IndexKey.Parse(key);
        var latest = await store.GetLatestAsync(key, cancellationToken);
        SessionIndex index;
        if (latest is not null)
        {
            long started = time.GetTimestamp();
            index = await StoredIndexLoader.LoadAsync(
                store, key, latest, catalog, options.Index, stored => ThrowIfOtherModel(key, stored, modelId, nameof(modelId)), cancellationToken);
            LogHydrated(logger, key, latest.Id, index.DocCount, time.GetElapsedTime(started).TotalMilliseconds);
        }
        else
        {
            index = new SessionIndex(name, catalog.Resolve(modelId ?? options.DefaultModel), options.Index);
        }

        var session = new DurableSession(key, index, store, latest, durability ?? options.DefaultDurability, options, time, logger);
        await session.ReplayLogAsync(cancellationToken);
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
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var result = await Index.AddDocsAsync(docs, options, cancellationToken);
            if (result.Added + result.Updated > 0)
            {
                await AfterWriteAsync(() => MutationRecord.Add(docs, options?.Upsert ?? true));
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
            int deleted = await Index.DeleteDocsAsync(docIds, cancellationToken);
            if (deleted > 0)
            {
                await AfterWriteAsync(() => MutationRecord.Delete(docIds));
            }

            return deleted;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Writes the index binary as a new version, makes it the latest, and starts a new log segment after it.</summary>
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

    /// <summary>True when a non-Ephemeral session has writes that are not in a pushed version and a checkpoint is due.</summary>
    public bool CheckpointDue =>
        Durability != SessionDurability.Ephemeral && PendingWrites > 0
        && (PendingWrites >= _options.CheckpointWrites || _time.GetElapsedTime(_lastCheckpoint) >= _options.CheckpointInterval);

    /// <summary>Pushes when <see cref="CheckpointDue"/>; returns the new version or null.</summary>
    public async Task<IndexVersion?> CheckpointIfDueAsync(CancellationToken cancellationToken) =>
        CheckpointDue ? await PushAsync(cancellationToken) : null;

    /// <summary>Pushes pending writes of a non-Ephemeral session (deactivation, shutdown, dispose); returns the new version or null.</summary>
    public async Task<IndexVersion?> FlushAsync(CancellationToken cancellationToken) =>
        Durability != SessionDurability.Ephemeral && PendingWrites > 0 ? await PushAsync(cancellationToken) : null;

    private async Task<IndexVersion> PushLockedAsync(CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        using var buffer = new MemoryStream();
        await Index.SaveAsync(buffer, cancellationToken);
        var version = await _store.PublishAsync(Key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), PublishPrecondition.None, cancellationToken);
        string previousSegment = _logSegment;
        Latest = version;
        _logSegment = version.Id;
        PendingWrites = 0;
        _lastCheckpoint = _time.GetTimestamp();
        LogPushed(_logger, Key, version.Id, version.Sequence, version.Length, _time.GetElapsedTime(started).TotalMilliseconds);
        try
        {
            // The new version holds every logged write: the old segment is no longer needed.
            await _store.DeleteLogAsync(Key, previousSegment, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSegmentNotDeleted(_logger, e, Key, previousSegment);
        }

        return version;
    }

    private async Task AfterWriteAsync(Func<MutationRecord> record)
    {
        PendingWrites++;
        if (Durability != SessionDurability.Acknowledged)
        {
            return;
        }

        try
        {
            // Not cancellable: the write is applied in memory and must either be logged or fail the session.
            await _store.AppendLogAsync(Key, _logSegment, record().ToBytes(), CancellationToken.None);
        }
        catch (Exception e)
        {
            throw new SessionWriteNotDurableException(
                $"Session '{Key}' could not log the write to the store, so it is not acknowledged; reopen the session and retry. ({e.Message})", e);
        }
    }

    private async Task ReplayLogAsync(CancellationToken cancellationToken)
    {
        var log = await _store.ReadLogAsync(Key, _logSegment, cancellationToken);
        if (log.TornTail)
        {
            LogTornTail(_logger, Key, _logSegment, log.Records.Count);
        }

        foreach (byte[] record in log.Records)
        {
            await MutationRecord.FromBytes(record).ApplyAsync(Index, cancellationToken);
        }

        ReplayedWrites = log.Records.Count;
        PendingWrites = log.Records.Count;
        if (log.Records.Count > 0 || log.TornTail)
        {
            LogReplayed(_logger, Key, log.Records.Count, _logSegment);
            // Fold the replayed writes into a checkpoint, so the log starts clean (after a torn tail, appends must not follow garbage).
            await PushLockedAsync(cancellationToken);
        }
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

    [LoggerMessage(4, LogLevel.Information, "Session {Key} replayed {Records} logged writes of segment {Segment}")]
    private static partial void LogReplayed(ILogger logger, string key, int records, string segment);

    [LoggerMessage(5, LogLevel.Warning, "Session {Key}: old log segment {Segment} could not be deleted; it is no longer read")]
    private static partial void LogSegmentNotDeleted(ILogger logger, Exception exception, string key, string segment);
}
