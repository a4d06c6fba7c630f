using Orleans.Concurrency;

namespace MossGrains.Grains.Jobs;

/// <summary>
/// One mutation job, keyed by its id. The client starts it, uploads its input in parts (each stored durably before the
/// call returns) and submits it; from then on it is acknowledged: the index's <see cref="IIndexWriterGrain"/> applies it
/// after the jobs before it and publishes a new version. Its status is persisted and readable from any client.
/// </summary>
[Alias("moss.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    [Alias("start")]
    Task<JobStatus> StartAsync(JobSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Stores one part of the input; the part's documents or ids count towards <see cref="JobSpec.Total"/>.</summary>
    [Alias("upload")]
    Task<JobStatus> UploadAsync(JobUpload part, CancellationToken cancellationToken = default);

    /// <summary>All parts are stored: queue the job on its index. Refused unless exactly <see cref="JobSpec.Total"/> items were uploaded.</summary>
    [Alias("submit")]
    Task<JobStatus> SubmitAsync(CancellationToken cancellationToken = default);

    /// <summary>The status; for a queued or building job also makes sure its index's writer is running (after a failover, it resumes there).</summary>
    [Alias("status")]
    [AlwaysInterleave]
    Task<JobStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    [Alias("spec")]
    [AlwaysInterleave]
    Task<JobSpec> GetSpecAsync(CancellationToken cancellationToken = default);

    /// <summary>From the index's writer: progress, or the outcome.</summary>
    [Security.SiloInternal]
    [Alias("report")]
    Task ReportAsync(JobProgress progress, CancellationToken cancellationToken = default);
}
