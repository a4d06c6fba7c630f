using System.Runtime.ExceptionServices;

namespace MossGrains.Engine.Session;

/// <summary>
/// Background linking of new vectors into the HNSW graph. A write only appends vectors (so AddDocs stays
/// cheap); one background task links them in slot order and publishes its progress as a new snapshot
/// (<c>GraphCount</c>). Until then queries scan the unlinked tail exactly, so results never depend on it.
/// Lock order everywhere: graph lock, then write lock.
/// </summary>
public sealed partial class SessionIndex
{
    /// <summary>Nodes linked between two progress publications.</summary>
    private const int GraphPublishInterval = 1024;

    private readonly SemaphoreSlim _graphLock = new(1, 1);
    private int _graphIndexerScheduled;
    private ExceptionDispatchInfo? _graphIndexerFault;

    /// <summary>
    /// Links every document into the ANN graph now, on the caller's thread, instead of waiting for the background
    /// indexer (below <see cref="SessionIndexOptions.AnnThreshold"/> documents there is nothing to do). Queries are
    /// correct either way; this only makes the graph complete, e.g. before measuring, and <see cref="SaveAsync"/> calls it.
    /// </summary>
    public async Task CompleteBackgroundIndexingAsync(CancellationToken cancellationToken = default)
    {
        _graphIndexerFault?.Throw();
        await _graphLock.WaitAsync(cancellationToken);
        try
        {
            await LinkPendingNodesAsync(cancellationToken);
        }
        finally
        {
            _graphLock.Release();
        }
    }

    /// <summary>Documents linked into the ANN graph in the current snapshot (tests and benchmarks).</summary>
    internal int LinkedDocCount => Volatile.Read(ref _current).GraphCount;

    private void ScheduleGraphIndexing()
    {
        if (NeedsLinking(Volatile.Read(ref _current)) && Interlocked.CompareExchange(ref _graphIndexerScheduled, 1, 0) == 0)
        {
            _ = Task.Run(RunGraphIndexerAsync);
        }
    }

    private bool NeedsLinking(Snapshots.IndexSnapshot snapshot) =>
        snapshot.Graph is not null && snapshot.GraphCount < snapshot.SlotCount && snapshot.SlotCount >= _options.AnnThreshold;

    private async Task RunGraphIndexerAsync()
    {
        try
        {
            await _graphLock.WaitAsync();
            try
            {
                await LinkPendingNodesAsync(CancellationToken.None);
            }
            finally
            {
                _graphLock.Release();
            }
        }
#pragma warning disable CA1031 // a fault must not be lost on a background thread: CompleteBackgroundIndexingAsync rethrows it
        catch (Exception e)
#pragma warning restore CA1031
        {
            _graphIndexerFault = ExceptionDispatchInfo.Capture(e);
            return;
        }
        finally
        {
            Volatile.Write(ref _graphIndexerScheduled, 0);
        }

        // A write may have landed after the last check and found the indexer still scheduled.
        ScheduleGraphIndexing();
    }

    /// <summary>Links pending nodes until none are left. The caller holds the graph lock.</summary>
    private async Task LinkPendingNodesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = Volatile.Read(ref _current);
            if (!NeedsLinking(snapshot))
            {
                return;
            }

            var graph = snapshot.Graph!;
            var entry = snapshot.Entry;
            int end = Math.Min(snapshot.SlotCount, snapshot.GraphCount + GraphPublishInterval);
            for (int slot = snapshot.GraphCount; slot < end; slot++)
            {
                entry = graph.Insert(slot, entry);
            }

            // Not cancellable: linked nodes must be published, or the next pass would link them twice.
            await _writeLock.WaitAsync(CancellationToken.None);
            try
            {
                var current = _current;
                if (!ReferenceEquals(current.Graph, graph))
                {
                    return; // LoadAsync replaced the index meanwhile
                }

                Volatile.Write(ref _current, current.WithGraphProgress(end, entry));
            }
            finally
            {
                _writeLock.Release();
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
