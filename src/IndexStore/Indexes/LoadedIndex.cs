using Microsoft.Extensions.Logging;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Indexes;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.Indexes;

/// <summary>What one refresh did: nothing new, swapped to a new version, or refused one (the serving version stays).</summary>
public enum RefreshOutcome
{
    Unchanged,
    Swapped,
    Refused,
}

/// <summary>One version of a loaded index, serving queries.</summary>
public sealed record LoadedVersion(SessionIndex Index, IndexVersion Version, DateTimeOffset LoadedAt);

/// <summary>
/// A read-mostly index hydrated from the store and swapped to newer versions: a refresh reads the "latest" pointer (one
/// small read), and only when it moved downloads and verifies the new binary beside the serving one, then publishes it
/// with one reference swap. A query takes <see cref="Current"/> once and runs wholly on that version. A refused version
/// (corrupt, unreadable, a model this process cannot load) is logged and remembered in <see cref="LastError"/>; the
/// serving version stays. Refreshes run one at a time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore never creates a wait handle, so it holds nothing to dispose.")]
public sealed partial class LoadedIndex(
    string key, IIndexStore store, EmbedderCatalog catalog, SessionIndexOptions indexOptions, TimeProvider time, ILogger logger)
{
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private LoadedVersion? _current;
    private string? _refusedVersionId;

    public string Key { get; } = key;

    /// <summary>The serving version; null before the first successful load.</summary>
    public LoadedVersion? Current => Volatile.Read(ref _current);

    public DateTimeOffset? LastCheck { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The serving version, or <see cref="IndexNotFoundException"/> naming the key.</summary>
    public LoadedVersion Serving => Current ?? throw new IndexNotFoundException($"Index '{Key}' is not loaded.");

    /// <summary>What <see cref="IndexInfo"/> reports of the serving version, with the holder's settings and schedule.</summary>
    public IndexInfo Describe(LoadIndexRequest settings, DateTimeOffset? nextCheck, string host)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var serving = Serving;
        return new IndexInfo(
            Key, serving.Index.ModelId, serving.Index.DocCount, serving.Version.Id, serving.Version.Sequence, serving.LoadedAt,
            LastCheck, settings.AutoRefresh ? nextCheck : null, LastError, settings.AutoRefresh, settings.Interval,
            settings.ServeFromEverySilo, host);
    }

    /// <summary>
    /// Swaps to the store's latest version if it moved. The first load throws what went wrong (no version:
    /// <see cref="IndexNotFoundException"/>); later failures are recorded and the serving version kept. A version refused
    /// once is not downloaded again until the pointer moves, unless <paramref name="force"/>.
    /// </summary>
    public async Task<RefreshOutcome> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            LastCheck = time.GetUtcNow();
            IndexVersion? latest;
            try
            {
                latest = await store.GetLatestAsync(Key, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && Current is not null)
            {
                Refused(null, e);
                return RefreshOutcome.Refused;
            }

            if (latest is null)
            {
                return Current is null
                    ? throw new IndexNotFoundException($"Index '{Key}' has no published version in the store: push it, or submit an add-docs job, first.")
                    : RefreshOutcome.Unchanged;
            }

            if (latest.Id == Current?.Version.Id || (!force && latest.Id == _refusedVersionId))
            {
                return RefreshOutcome.Unchanged;
            }

            return await SwapToAsync(latest, cancellationToken);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Swaps to <paramref name="version"/> (a read replica following its index grain); no-op when already serving it.</summary>
    public async Task<RefreshOutcome> FollowAsync(IndexVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            LastCheck = time.GetUtcNow();
            return version.Id == Current?.Version.Id ? RefreshOutcome.Unchanged : await SwapToAsync(version, cancellationToken);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private async Task<RefreshOutcome> SwapToAsync(IndexVersion version, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        SessionIndex index;
        try
        {
            index = await StoredIndexLoader.LoadAsync(store, Key, version, catalog, indexOptions, null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && Current is not null)
        {
            Refused(version, e);
            return RefreshOutcome.Refused;
        }

        var previous = Current;
        Volatile.Write(ref _current, new LoadedVersion(index, version, time.GetUtcNow()));
        LastError = null;
        _refusedVersionId = null;
        LogSwapped(logger, Key, previous?.Version.Id ?? "(none)", version.Id, version.Sequence, index.DocCount, time.GetElapsedTime(started).TotalMilliseconds);
        return RefreshOutcome.Swapped;
    }

    private void Refused(IndexVersion? version, Exception e)
    {
        _refusedVersionId = version?.Id ?? _refusedVersionId;
        LastError = version is null ? $"Reading the latest pointer failed: {e.Message}" : $"Version {version.Id} (sequence {version.Sequence}) was refused: {e.Message}";
        LogRefreshFailed(logger, e, Key, Current?.Version.Id ?? "(none)", LastError);
    }

    [LoggerMessage(1, LogLevel.Information, "Index {Key} swapped from {Previous} to version {Version} (sequence {Sequence}, {DocCount} docs), loaded in {Milliseconds:F0} ms")]
    private static partial void LogSwapped(ILogger logger, string key, string previous, string version, long sequence, int docCount, double milliseconds);

    [LoggerMessage(2, LogLevel.Warning, "Index {Key}: refresh failed, version {Serving} keeps serving. {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string key, string serving, string error);
}
