using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MossGrains.Client.Indexes;
using MossGrains.Client.Jobs;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.IndexStore.Contracts;

namespace MossGrains.Client.Embedded;

/// <summary>
/// Embedded mode: every session is a <see cref="IndexStore.Sessions.DurableSession"/> in this process, loaded indexes are
/// <see cref="IndexStore.Indexes.LoadedIndex"/>es refreshed by a timer, jobs run on in-process writers; no cluster.
/// </summary>
internal sealed class EmbeddedMossClient(LocalSessionRegistry sessions, EmbeddedIndexes indexes, EmbeddedJobs jobs, int maxIndexesPerQuery, TimeProvider time) : IMossClient
{
    public Task<IMossSession> SessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default) =>
        sessions.OpenAsync(name, options, cancellationToken);

    public Task<IMossSession> ResumeSessionAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default) =>
        sessions.OpenAsync(name, new SessionOptions { Project = project }, cancellationToken);

    public Task<IMossSession> LocalSessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default) =>
        sessions.OpenAsync(name, options, cancellationToken);

    public Task<IndexInfo> LoadIndexAsync(string name, LoadIndexOptions? options = null, CancellationToken cancellationToken = default)
    {
        return indexes.LoadAsync(IndexKey.For(options?.Project ?? IndexKey.DefaultProject, name), options?.ToRequest(), cancellationToken);
    }

    public Task UnloadIndexAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        indexes.Unload(IndexKey.For(project, name));
        return Task.CompletedTask;
    }

    public Task<IndexInfo> GetIndexInfoAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default) =>
        Task.FromResult(indexes.Info(IndexKey.For(project, name)));

    public async Task<SearchResult> QueryIndexAsync(string name, string text, QueryOptions? options = null, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ContractMapping.ToEngine(await indexes.QueryAsync(IndexKey.For(project, name), ContractMapping.ToContract(text, options), cancellationToken));
    }

    public Task<MultiIndexSearchResult> QueryIndexesAsync(IReadOnlyList<string> names, string text, QueryOptions? options = null, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default) =>
        MultiIndexFusion.QueryAsync(names, text, options, project, maxIndexesPerQuery, beforeFanOut: null, (key, query, candidates) => indexes.CandidatesAsync(key, query, candidates, cancellationToken), time);

    public Task<string> AddDocsAsync(string indexName, IEnumerable<DocumentInfo> docs, MutationJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (spec, records) = JobRequests.AddDocs(indexName, docs, options);
        return jobs.SubmitAsync(JobIds.New(), spec, JobParts.Of(records, long.MaxValue), cancellationToken);
    }

    public Task<string> DeleteDocsAsync(string indexName, IEnumerable<string> docIds, MutationJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (spec, ids) = JobRequests.DeleteDocs(indexName, docIds, options);
        return jobs.SubmitAsync(JobIds.New(), spec, JobParts.Of(ids), cancellationToken);
    }

    public Task<JobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default) =>
        Task.FromResult(jobs.Status(JobIds.Checked(jobId)));

    public Task<JobStatus> WaitForJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        JobIds.Checked(jobId);
        return JobPolling.WaitAsync(() => Task.FromResult(jobs.Status(jobId)), _ => false, time, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await jobs.DisposeAsync();
        indexes.Dispose();
        await sessions.DisposeAsync();
    }

    public static EmbeddedMossClient Create(EmbeddedMossOptions options, ILoggerFactory? loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Sessions.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIndexesPerQuery, 1, nameof(options));
        var time = options.TimeProvider;
        var store = LocalSessionRegistry.FolderStore(options.IndexFolder, time);
        var catalog = options.Catalog ?? EmbedderCatalog.Default;
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("MossGrains.Embedded");
        var indexes = new EmbeddedIndexes(store, catalog, options.Sessions, time, logger);
        var jobs = new EmbeddedJobs(store, catalog, options.Sessions, time, logger, indexes.NotifyPublished);
        return new EmbeddedMossClient(LocalSessionRegistry.Create(store, catalog, options.Sessions, time, loggers, "MossGrains.Embedded"), indexes, jobs, options.MaxIndexesPerQuery, time);
    }
}
