using Microsoft.Extensions.Logging;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Limits;
using MossGrains.IndexStore.Log;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.Jobs;

/// <summary>A published mutation: the new version and how many documents it holds.</summary>
public sealed record MutationOutcome(IndexVersion Version, int DocCount);

/// <summary>Progress of one mutation: the phase and how many of its documents (or ids) are applied.</summary>
public readonly record struct MutationProgress(JobPhase Phase, int Processed, int Total);

/// <summary>
/// Applies mutation jobs to one index and publishes each result as a new version: the latest version (kept in memory
/// between jobs, hydrated again only when the pointer moved) plus the job's records, published only if the pointer still
/// names the version it was built on. On a conflict (another writer published meanwhile) it rebuilds on the new latest;
/// re-applying a job is harmless, because adds are upserts by id and deletes of missing ids do nothing. A job that fails
/// publishes nothing and the in-memory copy is dropped, so the next job starts from the store again. With
/// <paramref name="limits"/>, a binary over <see cref="ProjectLimits.MaxIndexBytes"/> is refused before it is written.
/// </summary>
public sealed partial class MutationPublisher(
    string key, IIndexStore store, EmbedderCatalog catalog, SessionIndexOptions indexOptions, string defaultModel, TimeProvider time, ILogger logger,
    ProjectLimits? limits = null)
{
    /// <summary>Documents embedded between two progress reports.</summary>
    public const int ProgressBatch = 256;

    private const int MaxConflicts = 5;
    private SessionIndex? _working;
    private IndexVersion? _base;

    public string Key { get; } = key;

    /// <summary>The version this publisher last published or built on; null before its first job.</summary>
    public IndexVersion? Published => _base;

    public async Task<MutationOutcome> ApplyAsync(
        IReadOnlyList<MutationRecord> records, string? modelId, Func<MutationProgress, Task> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(report);
        int total = records.Sum(r => (r.Docs?.Count ?? 0) + (r.Ids?.Count ?? 0));
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var index = await WorkingIndexAsync(modelId, cancellationToken);
                await ApplyRecordsAsync(index, records, total, report, cancellationToken);
                await report(new MutationProgress(JobPhase.BuildingIndex, total, total));
                var version = await PublishAsync(index, cancellationToken);
                return new MutationOutcome(version, index.DocCount);
            }
            catch (VersionConflictException e) when (attempt < MaxConflicts)
            {
                LogConflict(logger, e, Key, attempt);
                _working = null;
            }
            catch
            {
                _working = null;
                throw;
            }
        }
    }

    private async Task<SessionIndex> WorkingIndexAsync(string? modelId, CancellationToken cancellationToken)
    {
        var latest = await store.GetLatestAsync(Key, cancellationToken);
        if (_working is not null && latest?.Id == _base?.Id)
        {
            return _working;
        }

        _base = latest;
        _working = latest is null
            ? new SessionIndex(Grains.Naming.IndexKey.Parse(Key).Name, catalog.Resolve(modelId ?? defaultModel), indexOptions)
            : await StoredIndexLoader.LoadAsync(store, Key, latest, catalog, indexOptions, null, cancellationToken);
        return _working;
    }

    private static async Task ApplyRecordsAsync(
        SessionIndex index, IReadOnlyList<MutationRecord> records, int total, Func<MutationProgress, Task> report, CancellationToken cancellationToken)
    {
        int processed = 0;
        await report(new MutationProgress(JobPhase.GeneratingEmbeddings, 0, total));
        foreach (var record in records)
        {
            if (record.Operation == MutationRecord.DeleteOperation)
            {
                await index.DeleteDocsAsync(record.Ids ?? [], cancellationToken);
                processed += record.Ids?.Count ?? 0;
                await report(new MutationProgress(JobPhase.GeneratingEmbeddings, processed, total));
                continue;
            }

            var docs = record.Docs ?? [];
            for (int start = 0; start < docs.Count; start += ProgressBatch)
            {
                var part = docs.Skip(start).Take(ProgressBatch).Select(d => new DocumentInfo(d.Id, d.Text, d.Metadata, d.Embedding)).ToArray();
                await Task.Run(() => index.AddDocsAsync(part, new MutationOptions { Upsert = record.Upsert }, cancellationToken), cancellationToken);
                processed += part.Length;
                await report(new MutationProgress(JobPhase.GeneratingEmbeddings, processed, total));
            }
        }
    }

    private async Task<IndexVersion> PublishAsync(SessionIndex index, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        using var buffer = new MemoryStream();
        await Task.Run(() => index.SaveAsync(buffer, cancellationToken), cancellationToken);
        limits?.EnsureIndexFits(Key, buffer.Length);
        var version = await store.PublishAsync(Key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), PublishPrecondition.LatestIs(_base), cancellationToken);
        _base = version;
        LogPublished(logger, Key, version.Id, version.Sequence, index.DocCount, time.GetElapsedTime(started).TotalMilliseconds);
        return version;
    }

    [LoggerMessage(1, LogLevel.Information, "Index {Key}: mutation published as version {Version} (sequence {Sequence}, {DocCount} docs); saved and published in {Milliseconds:F0} ms")]
    private static partial void LogPublished(ILogger logger, string key, string version, long sequence, int docCount, double milliseconds);

    [LoggerMessage(2, LogLevel.Warning, "Index {Key}: another writer published first (attempt {Attempt}); rebuilding on the new latest version")]
    private static partial void LogConflict(ILogger logger, Exception exception, string key, int attempt);
}
