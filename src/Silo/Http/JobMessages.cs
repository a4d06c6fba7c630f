using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;

namespace MossGrains.Silo.Http;

/// <summary>A submitted job: its id and where to read its status.</summary>
public sealed record JobAccepted(string JobId, string StatusUrl);

/// <summary>A job's status in Moss's words: <c>status</c> pending_upload | uploading | building | completed | failed, and while building a <c>phase</c>.</summary>
public sealed record JobStatusAnswer(
    string JobId,
    string Project,
    string Index,
    JobKind Kind,
    string Status,
    string? Phase,
    int Processed,
    int Total,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Version,
    long Sequence,
    int DocCount)
{
    public static JobStatusAnswer From(JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var (project, index) = IndexKey.Parse(status.IndexKey);
        return new(status.JobId, project, index, status.Kind, JobStatusNames.Of(status.State), JobStatusNames.Of(status.Phase), status.Processed,
            status.Total, status.Error, status.CreatedAt, status.UpdatedAt, status.Version, status.Sequence, status.DocCount);
    }
}
