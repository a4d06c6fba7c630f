using MossGrains.Grains.Naming;

namespace MossGrains.Client.Jobs;

/// <summary>How <see cref="IMossClient.AddDocsAsync"/> and <see cref="IMossClient.DeleteDocsAsync"/> submit a mutation job.</summary>
public sealed class MutationJobOptions
{
    /// <summary>Project the index lives in. Default <see cref="IndexKey.DefaultProject"/>.</summary>
    public string Project { get; init; } = IndexKey.DefaultProject;

    /// <summary>Model of the index when the job creates it; null = the host's default. An existing index keeps its model.</summary>
    public string? ModelId { get; init; }

    /// <summary>Added documents replace existing ids (true, default) or the job fails on one (false).</summary>
    public bool Upsert { get; init; } = true;
}
