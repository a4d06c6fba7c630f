using MossGrains.Grains.Jobs;

namespace MossGrains.Grains.Registry;

/// <summary>What a project's registry persists (see <see cref="IProjectRegistryGrain"/>), keyed by name or job id.</summary>
[GenerateSerializer]
[Alias("moss.RegistryState")]
public sealed class RegistryState
{
    [Id(0)]
    public Dictionary<string, RegisteredSession> Sessions { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public Dictionary<string, RegisteredIndex> Indexes { get; set; } = new(StringComparer.Ordinal);

    [Id(2)]
    public Dictionary<string, JobStatus> Jobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether the project is in the <see cref="IProjectDirectoryGrain"/>.</summary>
    [Id(3)]
    public bool Listed { get; set; }
}

/// <summary>What the project directory persists: the projects with a registry.</summary>
[GenerateSerializer]
[Alias("moss.ProjectDirectoryState")]
public sealed class ProjectDirectoryState
{
    [Id(0)]
    public SortedSet<string> Projects { get; set; } = new(StringComparer.Ordinal);
}
