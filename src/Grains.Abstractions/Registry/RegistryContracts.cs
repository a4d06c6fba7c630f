using MossGrains.Grains.Indexes;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Sessions;

namespace MossGrains.Grains.Registry;

/// <summary>A session as the registry knows it: its settings, and the version, doc count and dimensions of its last push (none before one).</summary>
[GenerateSerializer]
[Alias("moss.RegisteredSession")]
public sealed record RegisteredSession(
    [property: Id(0)] string Name,
    [property: Id(1)] string ModelId,
    [property: Id(2)] SessionDurability Durability,
    [property: Id(3)] string? LatestVersion,
    [property: Id(4)] int DocCount,
    [property: Id(5)] int Dimensions,
    [property: Id(6)] DateTimeOffset UpdatedAt);

/// <summary>A loaded index as the registry knows it: its settings, and the version it last served.</summary>
[GenerateSerializer]
[Alias("moss.RegisteredIndex")]
public sealed record RegisteredIndex(
    [property: Id(0)] string Name,
    [property: Id(1)] LoadIndexRequest Settings,
    [property: Id(2)] string ModelId,
    [property: Id(3)] string Version,
    [property: Id(4)] long Sequence,
    [property: Id(5)] int DocCount,
    [property: Id(6)] DateTimeOffset LoadedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt)
{
    public static RegisteredIndex From(IndexInfo info, LoadIndexRequest settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new(Naming.IndexKey.Parse(info.Key).Name, settings, info.ModelId, info.Version, info.Sequence, info.DocCount, info.LoadedAt, now);
    }
}

/// <summary>How long and how many jobs a project's registry keeps.</summary>
public static class RegistryLimits
{
    /// <summary>A finished job stays listed at least this long after its last change.</summary>
    public static readonly TimeSpan JobRetention = TimeSpan.FromHours(24);

    /// <summary>Most jobs kept per project: past it the oldest finished jobs are dropped (even within <see cref="JobRetention"/>).</summary>
    public const int MaxJobs = 1000;
}
