namespace MossGrains.Runtime;

/// <summary>
/// The stable name of a grain interface, used in <see cref="GrainId.Type"/> and on the wire.
/// Without it the interface's full name is used.
/// </summary>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>The method does not change state: it may interleave with other [ReadOnly] calls.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>The method may interleave with any other call of the activation.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>Every call on this grain class may interleave with every other (turns are still single-threaded).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>How long an activation of this grain class may stay idle before it is collected.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CollectionAgeLimitAttribute : Attribute
{
    public double Minutes { get; set; }

    public double Seconds { get; set; }

    public TimeSpan Age => TimeSpan.FromMinutes(Minutes) + TimeSpan.FromSeconds(Seconds);
}
