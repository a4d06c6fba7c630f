namespace MossGrains.Grains.Jobs;

/// <summary>What a job grain persists: its spec and its status (the input itself is in the index store).</summary>
[GenerateSerializer]
[Alias("moss.JobRecord")]
public sealed class JobRecord
{
    [Id(0)]
    public JobSpec? Spec { get; set; }

    [Id(1)]
    public JobStatus? Status { get; set; }
}
