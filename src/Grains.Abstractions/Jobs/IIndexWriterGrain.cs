namespace MossGrains.Grains.Jobs;

/// <summary>
/// The one writer of an index's mutation jobs, keyed by the index key: jobs are applied one after another in the order
/// they were submitted, each publishing the previous version plus its mutation. Its queue is persisted and a reminder
/// restarts it on a surviving silo when the silo running it dies.
/// </summary>
[Security.SiloInternal]
[Alias("moss.IIndexWriterGrain")]
public interface IIndexWriterGrain : IGrainWithStringKey
{
    /// <summary>Queues a submitted job (once; queuing it again is a no-op) and makes sure the queue is being worked.</summary>
    [Alias("enqueue")]
    Task EnqueueAsync(string jobId, CancellationToken cancellationToken = default);
}
