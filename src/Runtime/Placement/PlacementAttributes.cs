namespace MossGrains.Runtime.Placement;

/// <summary>Base of the placement attributes; a grain class carries at most one.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public abstract class PlacementAttribute : Attribute
{
    internal abstract PlacementStrategy Strategy { get; }
}

/// <summary>Activate on the silo that handles the first call (a client's gateway or the calling silo).</summary>
public sealed class PreferLocalPlacementAttribute : PlacementAttribute
{
    internal override PlacementStrategy Strategy => PlacementStrategy.PreferLocal;
}

/// <summary>Activate on the active silo chosen by the grain id's stable hash.</summary>
public sealed class HashBasedPlacementAttribute : PlacementAttribute
{
    internal override PlacementStrategy Strategy => PlacementStrategy.HashBased;
}

/// <summary>The default: of two sampled active silos, the one with fewer activations.</summary>
public sealed class ActivationCountBasedPlacementAttribute : PlacementAttribute
{
    internal override PlacementStrategy Strategy => PlacementStrategy.ActivationCountBased;
}

internal enum PlacementStrategy
{
    ActivationCountBased,
    PreferLocal,
    HashBased,
}
