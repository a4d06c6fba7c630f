namespace MossGrains.Grains.Limits;

/// <summary>What a project's limits grain persists: the jobs under way (id → when it took its slot). Sessions are not persisted: the cluster's live activations are their truth.</summary>
[GenerateSerializer]
[Alias("moss.ProjectJobsState")]
public sealed class ProjectJobsState
{
    [Id(0)]
    public Dictionary<string, DateTimeOffset> Jobs { get; set; } = new(StringComparer.Ordinal);
}
