using MossGrains.Runtime.GrainDirectory;

namespace MossGrains.Runtime.Providers.InMemory;

/// <summary>Grain directory for a single process: first writer wins under one lock. Share one instance between the silos of a process.</summary>
public sealed class InMemoryGrainDirectory : IGrainDirectory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<GrainId, GrainAddress> _entries = [];

    public Task<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        cancellationToken.ThrowIfCancellationRequested();
        if (previous is not null && previous.GrainId != address.GrainId)
        {
            throw new ArgumentException($"The previous address is for grain '{previous.GrainId}', not '{address.GrainId}'.", nameof(previous));
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(address.GrainId, out var existing) && existing != previous)
            {
                return Task.FromResult(existing);
            }

            _entries[address.GrainId] = address;
            return Task.FromResult(address);
        }
    }

    public Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_entries.GetValueOrDefault(grainId));
        }
    }

    public Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_entries.TryGetValue(address.GrainId, out var existing) && existing.ActivationId == address.ActivationId)
            {
                _entries.Remove(address.GrainId);
            }
        }

        return Task.CompletedTask;
    }

    public Task UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silos);
        cancellationToken.ThrowIfCancellationRequested();
        var dead = silos.ToHashSet();
        lock (_gate)
        {
            foreach (var grainId in _entries.Where(e => dead.Contains(e.Value.Silo)).Select(e => e.Key).ToList())
            {
                _entries.Remove(grainId);
            }
        }

        return Task.CompletedTask;
    }
}
