using MossGrains.Grains.Sessions;

namespace MossGrains.Grains.Jobs;

/// <summary>
/// Where a mutation job is, in Moss's order: <c>pending_upload</c> → <c>uploading</c> → <c>building</c> →
/// <c>completed</c> | <c>failed</c> (<see cref="JobStatusNames"/> gives the wire names).
/// </summary>
public enum JobState
{
    PendingUpload,
    Uploading,
    Building,
    Completed,
    Failed,
}

/// <summary>What a <see cref="JobState.Building"/> job is doing: waiting behind earlier jobs of its index, embedding, or writing the new version.</summary>
public enum JobPhase
{
    None,
    Queued,
    GeneratingEmbeddings,
    BuildingIndex,
}

public enum JobKind
{
    AddDocs,
    DeleteDocs,
}

/// <summary>Moss's snake_case names of job states and phases, for JSON and logs.</summary>
public static class JobStatusNames
{
    public static string Of(JobState state) => state switch
    {
        JobState.PendingUpload => "pending_upload",
        JobState.Uploading => "uploading",
        JobState.Building => "building",
        JobState.Completed => "completed",
        _ => "failed",
    };

    /// <summary>Whether <paramref name="status"/> (a wire name) is a job still under way: pending_upload, uploading or building.</summary>
    public static bool IsUnderWay(string? status) =>
        status == Of(JobState.PendingUpload) || status == Of(JobState.Uploading) || status == Of(JobState.Building);

    public static string? Of(JobPhase phase) => phase switch
    {
        JobPhase.Queued => "queued",
        JobPhase.GeneratingEmbeddings => "generating_embeddings",
        JobPhase.BuildingIndex => "building_index",
        _ => null,
    };
}

/// <summary>
/// What a job does, fixed when it starts: the index it changes (<c>{project}/{name}</c>), add or delete, how many documents
/// or ids it will upload (<c>Total</c>), the model of the index when the job creates it (ignored when the index exists:
/// its model is kept), and whether added documents replace existing ids (<c>Upsert</c>) or refuse them. A job submitted with
/// an idempotency key has an id made from the key and carries <c>InputHash</c>, the SHA-256 of its input: a second
/// submission with the key finds the job, and one with another input is refused.
/// </summary>
[GenerateSerializer]
[Alias("moss.JobSpec")]
public sealed record JobSpec(
    [property: Id(0)] string IndexKey,
    [property: Id(1)] JobKind Kind,
    [property: Id(2)] int Total,
    [property: Id(3)] string? ModelId = null,
    [property: Id(4)] bool Upsert = true,
    [property: Id(5)] string? InputHash = null)
{
    /// <summary>Most documents or ids in one job.</summary>
    public const int MaxItems = 1_000_000;

    /// <summary>Refuses an invalid index key or a <see cref="Total"/> outside 1..<see cref="MaxItems"/>, naming the field.</summary>
    public void Validate()
    {
        _ = Naming.IndexKey.Parse(IndexKey);
        if (Total is < 1 or > MaxItems)
        {
            throw new ArgumentOutOfRangeException(nameof(Total), Total, $"A job carries 1 to {MaxItems:N0} documents or ids; this one has {Total:N0}.");
        }
    }
}

/// <summary>
/// A job's status, readable from any client by its id. <c>Processed</c> counts documents (or ids) uploaded while
/// uploading and applied while building; a completed job names the <c>Version</c> it published and the <c>DocCount</c>
/// of that version; a failed one its <c>Error</c>. <c>Silo</c>: where the job last ran.
/// </summary>
[GenerateSerializer]
[Alias("moss.JobStatus")]
public sealed record JobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] string IndexKey,
    [property: Id(2)] JobKind Kind,
    [property: Id(3)] JobState State,
    [property: Id(4)] JobPhase Phase,
    [property: Id(5)] int Processed,
    [property: Id(6)] int Total,
    [property: Id(7)] string? Error,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt,
    [property: Id(10)] string? Version = null,
    [property: Id(11)] long Sequence = 0,
    [property: Id(12)] int DocCount = 0,
    [property: Id(13)] string? Silo = null)
{
    public bool IsFinished => State is JobState.Completed or JobState.Failed;
}

/// <summary>One part of a job's input: documents of an add job or ids of a delete job.</summary>
[GenerateSerializer]
[Alias("moss.JobUpload")]
public sealed record JobUpload(
    [property: Id(0)] IReadOnlyList<DocumentRecord>? Docs = null,
    [property: Id(1)] IReadOnlyList<string>? Ids = null)
{
    public int Count => (Docs?.Count ?? 0) + (Ids?.Count ?? 0);
}

/// <summary>The builder's report to a job grain: state, phase and progress, or the outcome.</summary>
[GenerateSerializer]
[Alias("moss.JobProgress")]
public sealed record JobProgress(
    [property: Id(0)] JobState State,
    [property: Id(1)] JobPhase Phase,
    [property: Id(2)] int Processed,
    [property: Id(3)] string? Error = null,
    [property: Id(4)] string? Version = null,
    [property: Id(5)] long Sequence = 0,
    [property: Id(6)] int DocCount = 0,
    [property: Id(7)] string? Silo = null);
