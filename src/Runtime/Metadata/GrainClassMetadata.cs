using System.Reflection;
using MossGrains.Runtime.Placement;

namespace MossGrains.Runtime.Metadata;

/// <summary>A grain implementation class and the per-class rules read from its attributes.</summary>
internal sealed class GrainClassMetadata
{
    public GrainClassMetadata(Type grainClass)
    {
        GrainClass = grainClass;
        IsReentrant = grainClass.IsDefined(typeof(ReentrantAttribute), inherit: true);
        CollectionAge = grainClass.GetCustomAttribute<CollectionAgeLimitAttribute>(inherit: true)?.Age;
        Placement = grainClass.GetCustomAttribute<PlacementAttribute>(inherit: true)?.Strategy ?? PlacementStrategy.ActivationCountBased;
    }

    public Type GrainClass { get; }

    public bool IsReentrant { get; }

    /// <summary>The class's own idle age from [CollectionAgeLimit]; null means the configured default.</summary>
    public TimeSpan? CollectionAge { get; }

    public PlacementStrategy Placement { get; }
}
