namespace MossGrains.Runtime.GrainDirectory;

/// <summary>Where one activation of a grain lives.</summary>
public sealed record GrainAddress(GrainId GrainId, SiloAddress Silo, string ActivationId);

/// <summary>
/// Cluster-wide map from grain id to its single activation (the Orleans IGrainDirectory
/// contract). First writer wins: a later registration for the same grain gets the existing entry
/// back and must deactivate its own activation and forward its calls.
/// </summary>
public interface IGrainDirectory
{
    /// <summary>Prepares storage (creates tables if missing); idempotent. Call once before use.</summary>
    Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Registers <paramref name="address"/> unless an entry exists, in which case that entry is
    /// returned. If <paramref name="previous"/> is given and matches the existing entry, it is replaced.
    /// </summary>
    Task<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous, CancellationToken cancellationToken);

    Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>Removes the entry only if it is exactly <paramref name="address"/> (same activation).</summary>
    Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken);

    /// <summary>Removes every entry that points at one of <paramref name="silos"/> (they are dead).</summary>
    Task UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken);
}
