using Microsoft.Extensions.Logging;
using MossGrains.Engine.Embedding;
using Microsoft.Extensions.Options;
using MossGrains.Grains.Limits;
using MossGrains.Grains.Idempotency;
using MossGrains.IndexStore;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Registry;
using MossGrains.Grains.Telemetry;
using MossGrains.IndexStore.Jobs;

namespace MossGrains.Grains.Jobs;

/// <summary>
/// A mutation job (see <see cref="IJobGrain"/>). Its status lives in grain storage (Azure Blob in a cluster); progress
/// reports are persisted at most once a second, state changes always. A job whose upload stalls for
/// <see cref="UploadTimeout"/> fails; nothing of it was applied. Its start and each change of state are recorded in its
/// project's registry, which the catalog lists jobs from (kept at least a day), so a job held by a dead silo stays listed.
/// From start to finish a job holds a slot of its project's <see cref="IProjectLimitsGrain"/> (<c>MaxConcurrentJobs</c>);
/// an add job is refused at start when its index's latest binary is already over <c>MaxIndexBytes</c>.
/// </summary>
[CollectionAgeLimit(Minutes = 60)]
public sealed partial class JobGrain(
    [PersistentState("job", MossGrainStorage.Name)] IPersistentState<JobRecord> record,
    IIndexStore store,
    EmbedderCatalog catalog,
    IOptions<MossLimitsOptions> limits,
    TimeProvider time,
    MossMetrics metrics,
    ILogger<JobGrain> logger) : Grain, IJobGrain, Security.IProjectOwned
{
    /// <inheritdoc/>
    public string? Project => record.State.Spec is { } spec ? Naming.IndexKey.Parse(spec.IndexKey).Project : null;

    public static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ProgressPersistInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WriterPokeInterval = TimeSpan.FromSeconds(5);
    private long _lastPersist;
    private long _lastPoke;

    private string JobId => this.GetPrimaryKeyString();

    public async Task<JobStatus> StartAsync(JobSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        catalog.CheckNamed(spec.ModelId, EmbedderCatalog.ModelIdField);

        if (record.State.Spec is { } existing)
        {
            // The same spec again is a retried submission (an id made from an idempotency key): its status tells what is left to do.
            return existing == spec ? Status
                : existing.InputHash is not null && IdempotencyKeys.Current is { } key ? throw IdempotencyKeyReusedException.For(key)
                : throw new InvalidOperationException($"Job id {JobId} is already used by another job.");
        }

        string project = Naming.IndexKey.Parse(spec.IndexKey).Project;
        if (spec.Kind == JobKind.AddDocs && await store.GetLatestAsync(spec.IndexKey, cancellationToken) is { } latest)
        {
            limits.Value.For(project).EnsureIndexFits(spec.IndexKey, latest.Length);
        }

        await ProjectLimits(spec).AcquireJobAsync(JobId, cancellationToken);
        var now = time.GetUtcNow();
        try
        {
            record.State.Spec = spec;
            record.State.Status = new JobStatus(JobId, spec.IndexKey, spec.Kind, JobState.PendingUpload, JobPhase.None, 0, spec.Total, null, now, now);
            await record.WriteStateAsync(cancellationToken);
        }
        catch
        {
            record.State.Spec = null;
            record.State.Status = null;
            _ = ReleaseSlotAsync(spec);
            throw;
        }

        await RecordAsync();

        return Status;
    }

    public async Task<JobStatus> UploadAsync(JobUpload part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(part);
        var spec = Spec;
        var status = Status;
        if (status.State is not (JobState.PendingUpload or JobState.Uploading))
        {
            throw new InvalidOperationException($"Job {JobId} is {JobStatusNames.Of(status.State)}; it takes no more input.");
        }

        var mutation = JobRunner.ToRecord(spec, part);
        if (status.Processed + part.Count > spec.Total)
        {
            throw new ArgumentException($"Job {JobId} was started with Total {spec.Total:N0}; this part would bring it to {status.Processed + part.Count:N0}.", nameof(part));
        }

        await JobInput.AppendAsync(store, spec.IndexKey, JobId, mutation, cancellationToken);
        await UpdateAsync(status with { State = JobState.Uploading, Processed = status.Processed + part.Count }, persist: true, cancellationToken);
        return Status;
    }

    public async Task<JobStatus> SubmitAsync(CancellationToken cancellationToken)
    {
        var status = Status;
        if (status.State is JobState.Building or JobState.Completed)
        {
            return status;
        }

        if (status.State is not JobState.Uploading || status.Processed != Spec.Total)
        {
            throw new InvalidOperationException($"Job {JobId} has {status.Processed:N0} of its {Spec.Total:N0} items uploaded ({JobStatusNames.Of(status.State)}); upload them all, then submit.");
        }

        await UpdateAsync(status with { State = JobState.Building, Phase = JobPhase.Queued, Processed = 0 }, persist: true, cancellationToken);
        await Writer.EnqueueAsync(JobId, cancellationToken);
        LogSubmitted(logger, JobId, Spec.IndexKey, Spec.Kind, Spec.Total);
        return Status;
    }

    public async Task<JobStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var status = Status;
        if (status.State is JobState.PendingUpload or JobState.Uploading && time.GetUtcNow() - status.UpdatedAt > UploadTimeout)
        {
            await UpdateAsync(status with { State = JobState.Failed, Error = $"The upload stalled for more than {UploadTimeout.TotalMinutes:0} minutes; nothing was applied. Submit the job again." }, persist: true, cancellationToken);
            // Not awaited: this read may come from the limits grain itself, which is waiting for it.
            _ = ReleaseSlotAsync(Spec);
        }
        else if (status.State is JobState.Building && time.GetElapsedTime(_lastPoke) > WriterPokeInterval)
        {
            // After a failover the index's writer may not be running anywhere: this call restarts it where it lands.
            _lastPoke = time.GetTimestamp();
            _ = PokeWriterAsync();
        }

        return Status;
    }

    public Task<JobSpec> GetSpecAsync(CancellationToken cancellationToken) => Task.FromResult(Spec);

    public Task ReportAsync(JobProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var status = Status;
        if (status.IsFinished)
        {
            return Task.CompletedTask;
        }

        var next = status with
        {
            State = progress.State,
            Phase = progress.State == JobState.Building ? progress.Phase : JobPhase.None,
            Processed = progress.Processed,
            Error = progress.Error,
            Version = progress.Version,
            Sequence = progress.Sequence,
            DocCount = progress.DocCount,
            Silo = progress.Silo ?? status.Silo,
        };
        bool changed = next.State != status.State || next.Phase != status.Phase;
        if (next.IsFinished)
        {
            metrics.JobFinished(next.State);
            metrics.DocsWritten(status.Kind == JobKind.AddDocs ? "add" : "delete", next.State == JobState.Completed ? status.Total : 0);
            LogFinished(logger, JobId, status.IndexKey, JobStatusNames.Of(next.State), next.Error ?? "");
        }

        return ReportedAsync(next, persist: changed || time.GetElapsedTime(_lastPersist) >= ProgressPersistInterval, cancellationToken);
    }

    private JobSpec Spec => record.State.Spec ?? throw NoSuchJob();

    private JobStatus Status => record.State.Status ?? throw NoSuchJob();

    /// <summary>An id that names no job: the activation holds nothing, so it goes at once (job ids are the caller's to make up).</summary>
    private KeyNotFoundException NoSuchJob()
    {
        DeactivateOnIdle();
        return new KeyNotFoundException($"There is no job {JobId}.");
    }

    private IIndexWriterGrain Writer => GrainFactory.GetGrain<IIndexWriterGrain>(Spec.IndexKey);

    private async Task UpdateAsync(JobStatus status, bool persist, CancellationToken cancellationToken)
    {
        var previous = record.State.Status;
        record.State.Status = status with { UpdatedAt = time.GetUtcNow() };
        if (persist)
        {
            _lastPersist = time.GetTimestamp();
            await record.WriteStateAsync(cancellationToken);
            if (previous?.State != status.State)
            {
                await RecordAsync();
            }
        }
    }

    private async Task ReportedAsync(JobStatus next, bool persist, CancellationToken cancellationToken)
    {
        await UpdateAsync(next, persist, cancellationToken);
        if (next.IsFinished)
        {
            await ReleaseSlotAsync(Spec);
        }
    }

    private IProjectLimitsGrain ProjectLimits(JobSpec spec) => GrainFactory.GetGrain<IProjectLimitsGrain>(Naming.IndexKey.Parse(spec.IndexKey).Project);

    /// <summary>Gives the job's slot back; on failure the limits grain finds the job finished when the project next reaches its limit.</summary>
    private async Task ReleaseSlotAsync(JobSpec spec)
    {
        try
        {
            await ProjectLimits(spec).ReleaseJobAsync(JobId);
        }
        catch (Exception e)
        {
            LogReleaseFailed(logger, JobId, e.Message);
        }
    }

    /// <summary>Tells the project's registry of the job's state (bounded; see <see cref="RegistryRecording"/>).</summary>
    private Task RecordAsync()
    {
        var status = Status;
        return GrainFactory.TryRecordAsync(IndexKey.Parse(status.IndexKey).Project, r => r.RecordJobAsync(status), time, logger);
    }

    private async Task PokeWriterAsync()
    {
        try
        {
            await Writer.EnqueueAsync(JobId);
        }
        catch (Exception e)
        {
            LogPokeFailed(logger, e, JobId);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Job {JobId} submitted: {Kind} of {Total} on {Key}")]
    private static partial void LogSubmitted(ILogger logger, string jobId, string key, JobKind kind, int total);

    [LoggerMessage(2, LogLevel.Information, "Job {JobId} on {Key} {State}. {Error}")]
    private static partial void LogFinished(ILogger logger, string jobId, string key, string state, string? error);

    [LoggerMessage(4, LogLevel.Debug, "Job {JobId}: its slot among the project's jobs was not released now ({Reason}); the limits grain frees it when needed")]
    private static partial void LogReleaseFailed(ILogger logger, string jobId, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Job {JobId}: its index's writer could not be reached; the next status read tries again")]
    private static partial void LogPokeFailed(ILogger logger, Exception exception, string jobId);
}
