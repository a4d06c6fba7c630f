namespace MossGrains.Runtime.Membership;

/// <summary>A snapshot of which silos the local silo believes are in the cluster.</summary>
public sealed record ClusterMembershipSnapshot(int Version, IReadOnlyDictionary<SiloAddress, SiloStatus> Members)
{
    public IEnumerable<SiloAddress> ActiveSilos => Members.Where(m => m.Value == SiloStatus.Active).Select(m => m.Key);

    public SiloStatus GetStatus(SiloAddress silo) => Members.TryGetValue(silo, out var status) ? status : SiloStatus.None;

    public override string ToString() => $"version {Version}: {string.Join(", ", Members.Select(m => $"{m.Key}={m.Value}"))}";
}

/// <summary>
/// The membership service's answer to the rest of the runtime: the current view and its changes.
/// The runtime uses it for placement, to drop directory entries of dead silos, to move reminder
/// ownership, and to stop a silo that finds itself declared dead.
/// </summary>
public interface IClusterMembershipView
{
    ClusterMembershipSnapshot Current { get; }

    /// <summary>Raised after <see cref="Current"/> changes, with the new snapshot.</summary>
    event Action<ClusterMembershipSnapshot>? Changed;

    /// <summary>Completes when this silo learns it has been declared dead by the cluster.</summary>
    Task DeclaredDead { get; }
}
