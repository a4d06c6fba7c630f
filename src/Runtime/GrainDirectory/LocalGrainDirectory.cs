using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MossGrains.Runtime.Membership;

namespace MossGrains.Runtime.GrainDirectory;

/// <summary>
/// This silo's view of the grain directory: a cache in front of the cluster-wide
/// <see cref="IGrainDirectory"/>. Registration is first-writer-wins, except that an entry
/// pointing at a dead silo is replaced. When silos die their entries leave the cache and
/// the store.
/// </summary>
internal sealed class LocalGrainDirectory
{
    private readonly ConcurrentDictionary<GrainId, GrainAddress> cache = new();
    private readonly HashSet<SiloAddress> removedSilos = [];
    private readonly IGrainDirectory store;
    private readonly IClusterMembershipView membership;
    private readonly ILogger<LocalGrainDirectory> logger;

    public LocalGrainDirectory(IGrainDirectory store, IClusterMembershipView membership, ILogger<LocalGrainDirectory> logger)
    {
        this.store = store;
        this.membership = membership;
        this.logger = logger;
        membership.Changed += OnMembershipChanged;
    }

    public async ValueTask<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(grainId, out var cached))
        {
            return cached;
        }

        var address = await store.LookupAsync(grainId, cancellationToken).ConfigureAwait(false);
        if (address is not null && IsAlive(address.Silo))
        {
            cache[grainId] = address;
        }

        return address;
    }

    /// <summary>Registers <paramref name="address"/>; returns the winning entry (ours, or an existing live one).</summary>
    public async Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        var winner = await store.RegisterAsync(address, null, cancellationToken).ConfigureAwait(false);
        if (winner.ActivationId != address.ActivationId && !IsAlive(winner.Silo))
        {
            winner = await store.RegisterAsync(address, winner, cancellationToken).ConfigureAwait(false);
        }

        cache[address.GrainId] = winner;
        return winner;
    }

    public async Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        Invalidate(address);
        await store.UnregisterAsync(address, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the cached entry if it is still <paramref name="address"/>.</summary>
    public void Invalidate(GrainAddress address) =>
        cache.TryRemove(new KeyValuePair<GrainId, GrainAddress>(address.GrainId, address));

    /// <summary>
    /// False when the silo is known dead: declared dead, or its endpoint now belongs to a newer
    /// generation. A silo missing from the view is assumed alive (it may have just joined).
    /// </summary>
    public bool IsAlive(SiloAddress silo)
    {
        var snapshot = membership.Current;
        return snapshot.GetStatus(silo) switch
        {
            SiloStatus.Dead => false,
            SiloStatus.None => !snapshot.Members.Keys.Any(m => m.Host == silo.Host && m.Port == silo.Port && m.Generation > silo.Generation),
            _ => true,
        };
    }

    private void OnMembershipChanged(ClusterMembershipSnapshot snapshot)
    {
        foreach (var entry in cache)
        {
            if (!IsAlive(entry.Value.Silo))
            {
                cache.TryRemove(entry);
            }
        }

        List<SiloAddress> dead;
        lock (removedSilos)
        {
            dead = [.. snapshot.Members.Where(m => m.Value == SiloStatus.Dead && !removedSilos.Contains(m.Key)).Select(m => m.Key)];
            removedSilos.UnionWith(dead);
        }

        if (dead.Count > 0)
        {
            _ = RemoveDeadSilosAsync(dead);
        }
    }

    private async Task RemoveDeadSilosAsync(List<SiloAddress> dead)
    {
        try
        {
            logger.RemovingDeadSilos(string.Join(", ", dead));
            await store.UnregisterSilosAsync(dead, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.DeadSiloCleanupFailed(ex);
            lock (removedSilos)
            {
                removedSilos.ExceptWith(dead);
            }
        }
    }
}
