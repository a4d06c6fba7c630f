using MossGrains.IndexStore.Log;

namespace MossGrains.IndexStore.Jobs;

/// <summary>
/// A mutation job's input in the store, beside its index: the log segment <c>job-{id}</c>, one <see cref="MutationRecord"/>
/// per uploaded part, each durable before its upload is acknowledged. Deleted once the job has published.
/// </summary>
public static class JobInput
{
    public static string Segment(string jobId) => "job-" + jobId;

    public static async Task AppendAsync(IIndexStore store, string key, string jobId, MutationRecord part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(part);
        await store.CreateLogAsync(key, Segment(jobId), cancellationToken);
        await store.AppendLogAsync(key, Segment(jobId), part.ToBytes(), cancellationToken);
    }

    /// <summary>Every stored part in upload order; a torn part (an upload that never completed) fails the read.</summary>
    public static async Task<IReadOnlyList<MutationRecord>> ReadAsync(IIndexStore store, string key, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var log = await store.ReadLogAsync(key, Segment(jobId), cancellationToken);
        if (log.TornTail)
        {
            throw new InvalidDataException($"The stored input of job {jobId} ends in an incomplete part; the job cannot be applied.");
        }

        return [.. log.Records.Select(MutationRecord.FromBytes)];
    }

    public static Task DeleteAsync(IIndexStore store, string key, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.DeleteLogAsync(key, Segment(jobId), cancellationToken);
    }
}
