using MossGrains.Grains.Jobs;
using MossGrains.IndexStore.Log;

namespace MossGrains.IndexStore.Jobs;

/// <summary>
/// Runs one submitted job on its index's <see cref="MutationPublisher"/> and reports it: progress while building, then
/// completed with the new version, or failed with the reason when the job itself is bad (its input, its model, a result
/// over its project's quota). Store and
/// cluster faults propagate instead, so the caller retries the job rather than failing it. The stored input is deleted
/// once the job has finished.
/// </summary>
public static class JobRunner
{
    public static async Task RunAsync(
        MutationPublisher publisher, IIndexStore store, string jobId, JobSpec spec, string host, Func<JobProgress, Task> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(report);
        MutationOutcome outcome;
        try
        {
            var records = await JobInput.ReadAsync(store, publisher.Key, jobId, cancellationToken);
            outcome = await publisher.ApplyAsync(
                records, spec.ModelId, p => report(new JobProgress(JobState.Building, p.Phase, p.Processed, Silo: host)), cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or InvalidOperationException or Engine.Persistence.IndexFormatException or Grains.Limits.QuotaExceededException)
        {
            await report(new JobProgress(JobState.Failed, JobPhase.None, 0, e.Message, Silo: host));
            await DeleteInputAsync(store, publisher.Key, jobId);
            return;
        }

        await report(new JobProgress(JobState.Completed, JobPhase.None, spec.Total, null, outcome.Version.Id, outcome.Version.Sequence, outcome.DocCount, host));
        await DeleteInputAsync(store, publisher.Key, jobId);
    }

    /// <summary>The job's input as stored parts: one <see cref="MutationRecord"/> per upload.</summary>
    public static MutationRecord ToRecord(JobSpec spec, JobUpload part)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(part);
        return spec.Kind == JobKind.AddDocs
            ? MutationRecord.Add(Contracts.ContractMapping.ToEngine(part.Docs ?? throw new ArgumentException("An add-docs job uploads documents (Docs).", nameof(part))), spec.Upsert)
            : MutationRecord.Delete(part.Ids ?? throw new ArgumentException("A delete-docs job uploads ids (Ids).", nameof(part)));
    }

    private static async Task DeleteInputAsync(IIndexStore store, string key, string jobId)
    {
        try
        {
            await JobInput.DeleteAsync(store, key, jobId, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Azure.RequestFailedException)
        {
            // A leftover input is never read again: the job is finished.
        }
    }
}
