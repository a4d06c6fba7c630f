using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MossGrains.Engine.Embedding;
using MossGrains.Grains.Jobs;
using MossGrains.IndexStore;
using MossGrains.IndexStore.Jobs;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Client.Embedded;

/// <summary>
/// Mutation jobs in this process: the input is stored beside the index before the job id is returned, and one worker per
/// index applies its jobs in order with the same <see cref="JobRunner"/> the cluster's writer uses. Statuses live in memory:
/// a job still queued when the process exits is not resumed (disposing the client waits for queued jobs instead).
/// </summary>
internal sealed partial class EmbeddedJobs(
    IIndexStore store, EmbedderCatalog catalog, DurableSessionOptions options, TimeProvider time, ILogger logger, Action<string> published) : IAsyncDisposable
{
    private const string Host = "embedded";
    private readonly ConcurrentDictionary<string, JobStatus> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Writer> _writers = new(StringComparer.Ordinal);

    public async Task<string> SubmitAsync(string jobId, JobSpec spec, IEnumerable<JobUpload> parts, CancellationToken cancellationToken)
    {
        spec.Validate();

        var now = time.GetUtcNow();
        var status = new JobStatus(jobId, spec.IndexKey, spec.Kind, JobState.PendingUpload, JobPhase.None, 0, spec.Total, null, now, now);
        _statuses[jobId] = status;
        try
        {
            foreach (var part in parts)
            {
                await JobInput.AppendAsync(store, spec.IndexKey, jobId, JobRunner.ToRecord(spec, part), cancellationToken);
                status = Update(jobId, s => s with { State = JobState.Uploading, Processed = s.Processed + part.Count });
            }
        }
        catch
        {
            _statuses.TryRemove(jobId, out _);
            await JobInput.DeleteAsync(store, spec.IndexKey, jobId, CancellationToken.None);
            throw;
        }

        Update(jobId, s => s with { State = JobState.Building, Phase = JobPhase.Queued, Processed = 0 });
        var writer = _writers.GetOrAdd(spec.IndexKey, key => new Writer(RunWriterAsync, key));
        await writer.Queue.Writer.WriteAsync((jobId, spec), cancellationToken);
        return jobId;
    }

    public JobStatus Status(string jobId) =>
        _statuses.TryGetValue(jobId, out var status) ? status : throw new KeyNotFoundException($"There is no job {jobId} in this process (embedded mode keeps job statuses in memory).");

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Queue.Writer.TryComplete();
            await writer.Worker;
        }
    }

    private async Task RunWriterAsync(string key, ChannelReader<(string JobId, JobSpec Spec)> queue)
    {
        var publisher = new MutationPublisher(key, store, catalog, options.Index, options.DefaultModel, time, logger);
        await foreach (var (jobId, spec) in queue.ReadAllAsync())
        {
            try
            {
                await JobRunner.RunAsync(publisher, store, jobId, spec, Host, p =>
                {
                    Update(jobId, s => s with
                    {
                        State = p.State, Phase = p.Phase, Processed = p.Processed, Error = p.Error, Version = p.Version,
                        Sequence = p.Sequence, DocCount = p.DocCount, Silo = p.Silo,
                    });
                    return Task.CompletedTask;
                }, CancellationToken.None);
                published(key);
            }
            catch (Exception e)
            {
                LogJobFailed(logger, e, jobId, key);
                Update(jobId, s => s with { State = JobState.Failed, Phase = JobPhase.None, Error = e.Message });
            }
        }
    }

    private JobStatus Update(string jobId, Func<JobStatus, JobStatus> change) =>
        _statuses.AddOrUpdate(jobId, _ => throw new KeyNotFoundException(jobId), (_, s) => change(s) with { UpdatedAt = time.GetUtcNow() });

    [LoggerMessage(1, LogLevel.Error, "Job {JobId} on {Key} failed")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string jobId, string key);

    private sealed class Writer
    {
        public Writer(Func<string, ChannelReader<(string, JobSpec)>, Task> run, string key)
        {
            Worker = Task.Run(() => run(key, Queue.Reader));
        }

        public Channel<(string JobId, JobSpec Spec)> Queue { get; } = Channel.CreateUnbounded<(string, JobSpec)>(new UnboundedChannelOptions { SingleReader = true });

        public Task Worker { get; }
    }
}
