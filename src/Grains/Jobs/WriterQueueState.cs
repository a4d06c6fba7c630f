namespace MossGrains.Grains.Jobs;

/// <summary>An index writer's persisted queue: ids of submitted jobs not yet finished, oldest first.</summary>
[GenerateSerializer]
[Alias("moss.WriterQueueState")]
public sealed class WriterQueueState
{
    [Id(0)]
    public List<string> Jobs { get; set; } = [];
}
