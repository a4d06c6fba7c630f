using System.Collections.Concurrent;
using MossGrains.IndexStore;
using MossGrains.IndexStore.Versions;

namespace MossGrains.Grains.Tests;

/// <summary>
/// The real filesystem store with a gate a test controls on version downloads of chosen keys: it proves that one index's
/// slow download holds up nothing else, and that queries keep going on the old version while the new one loads.
/// </summary>
public sealed class GatedIndexStore(IIndexStore inner) : IIndexStore
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _entered = new(StringComparer.Ordinal);

    /// <summary>Holds downloads of <paramref name="key"/> until <see cref="Open"/>; the task completes when one is waiting.</summary>
    public Task Close(string key)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gates[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _entered[key] = entered;
        return entered.Task;
    }

    public void Open(string key)
    {
        if (_gates.TryRemove(key, out var gate))
        {
            gate.TrySetResult();
        }
    }

    public async Task<byte[]> ReadVersionAsync(string key, IndexVersion version, CancellationToken cancellationToken)
    {
        if (_gates.TryGetValue(key, out var gate))
        {
            if (_entered.TryGetValue(key, out var entered))
            {
                entered.TrySetResult();
            }

            await gate.Task.WaitAsync(cancellationToken);
        }

        return await inner.ReadVersionAsync(key, version, cancellationToken);
    }

    public Task<IndexVersion?> GetLatestAsync(string key, CancellationToken cancellationToken) => inner.GetLatestAsync(key, cancellationToken);

    public Task<IndexVersion> PublishAsync(string key, ReadOnlyMemory<byte> binary, PublishPrecondition precondition, CancellationToken cancellationToken) =>
        inner.PublishAsync(key, binary, precondition, cancellationToken);

    public Task<LatestPointer> GetPointerAsync(string key, CancellationToken cancellationToken) => inner.GetPointerAsync(key, cancellationToken);

    public Task<LatestPointer> ClaimOwnershipAsync(string key, CancellationToken cancellationToken) => inner.ClaimOwnershipAsync(key, cancellationToken);

    public Task CreateLogAsync(string key, string segment, CancellationToken cancellationToken) => inner.CreateLogAsync(key, segment, cancellationToken);

    public Task SealLogAsync(string key, string segment, CancellationToken cancellationToken) => inner.SealLogAsync(key, segment, cancellationToken);

    public Task<IReadOnlyList<string>> ListLogsAsync(string key, CancellationToken cancellationToken) => inner.ListLogsAsync(key, cancellationToken);

    public Task AppendLogAsync(string key, string segment, ReadOnlyMemory<byte> record, CancellationToken cancellationToken) =>
        inner.AppendLogAsync(key, segment, record, cancellationToken);

    public Task<LogReadResult> ReadLogAsync(string key, string segment, CancellationToken cancellationToken) => inner.ReadLogAsync(key, segment, cancellationToken);

    public Task DeleteLogAsync(string key, string segment, CancellationToken cancellationToken) => inner.DeleteLogAsync(key, segment, cancellationToken);
}
