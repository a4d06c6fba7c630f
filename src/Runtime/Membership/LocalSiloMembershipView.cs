namespace MossGrains.Runtime.Membership;

/// <summary>
/// Membership of a single-process cluster (UseLocalhostClustering): this silo alone, active from
/// start until it shuts down. There is nobody to probe and nobody to declare it dead.
/// </summary>
internal sealed class LocalSiloMembershipView : IClusterMembershipView
{
    private readonly TaskCompletionSource neverDead = new();

    public ClusterMembershipSnapshot Current { get; private set; } = new(0, new Dictionary<SiloAddress, SiloStatus>());

    public event Action<ClusterMembershipSnapshot>? Changed;

    public Task DeclaredDead => neverDead.Task;

    public void SetStatus(SiloAddress silo, SiloStatus status)
    {
        Current = new ClusterMembershipSnapshot(Current.Version + 1, new Dictionary<SiloAddress, SiloStatus> { [silo] = status });
        Changed?.Invoke(Current);
    }
}
