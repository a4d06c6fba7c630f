using System.Collections.Concurrent;
using MossGrains.Runtime.Membership;

namespace MossGrains.Runtime.Placement;

/// <summary>
/// Chooses the silo for a new activation. Load-aware default: sample two active silos and take
/// the one with fewer activations (this silo's count is exact; other silos' counts arrive
/// piggy-backed on every response they send, and each placement here bumps the estimate).
/// </summary>
internal sealed class PlacementService(IClusterMembershipView membership, LocalSiloDetails localSilo, Func<int> localActivationCount)
{
    private readonly ConcurrentDictionary<SiloAddress, int> loadEstimates = new();
    private (int Version, SiloAddress[] Silos) activeSilos = (-1, []);

    /// <summary>Records the activation count a silo reported.</summary>
    public void ReportLoad(SiloAddress silo, int activationCount) => loadEstimates[silo] = activationCount;

    public SiloAddress Place(GrainId grainId, PlacementStrategy strategy)
    {
        var silos = GetActiveSilos();
        if (silos.Length == 0)
        {
            throw new SiloUnavailableException($"No active silo to place {grainId} on.");
        }

        var local = localSilo.SiloAddress;
        switch (strategy)
        {
            case PlacementStrategy.PreferLocal when Array.IndexOf(silos, local) >= 0:
                return local;
            case PlacementStrategy.HashBased:
                return silos[grainId.GetUniformHashCode() % (uint)silos.Length];
            case PlacementStrategy.PreferLocal:
                return silos[Random.Shared.Next(silos.Length)];
            default:
                return PlaceByActivationCount(silos, local);
        }
    }

    private SiloAddress PlaceByActivationCount(SiloAddress[] silos, SiloAddress local)
    {
        if (silos.Length == 1)
        {
            return silos[0];
        }

        int first = Random.Shared.Next(silos.Length);
        int second = (first + 1 + Random.Shared.Next(silos.Length - 1)) % silos.Length;
        var a = silos[first];
        var b = silos[second];
        var chosen = Load(a, local) <= Load(b, local) ? a : b;
        if (chosen != local)
        {
            loadEstimates.AddOrUpdate(chosen, 1, static (_, n) => n + 1);
        }

        return chosen;
    }

    private int Load(SiloAddress silo, SiloAddress local) =>
        silo == local ? localActivationCount() : loadEstimates.GetValueOrDefault(silo);

    private SiloAddress[] GetActiveSilos()
    {
        var snapshot = membership.Current;
        var cached = activeSilos;
        if (cached.Version == snapshot.Version && cached.Silos.Length > 0)
        {
            return cached.Silos;
        }

        var silos = snapshot.ActiveSilos.OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        activeSilos = (snapshot.Version, silos);
        return silos;
    }
}
