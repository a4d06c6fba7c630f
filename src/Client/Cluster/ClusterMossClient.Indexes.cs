using MossGrains.Client.Indexes;
using MossGrains.Client.Jobs;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Session;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.IndexStore.Contracts;

namespace MossGrains.Client.Cluster;

/// <summary>
/// Loaded indexes and mutation jobs in cluster mode. Queries enter through the <see cref="IIndexReaderGrain"/> on this
/// client's gateway silo (a local replica or a forward to the <see cref="IIndexGrain"/>); loads and info go to the index
/// grain; a job is started, uploaded part by part and submitted through its <see cref="IJobGrain"/>.
/// </summary>
internal sealed partial class ClusterMossClient
{
    private readonly KnownIndexes _known = new(grains);

    public async Task<IndexInfo> LoadIndexAsync(string name, LoadIndexOptions? options = null, CancellationToken cancellationToken = default)
    {
        // No options: an index already loaded keeps its settings; a new one gets the defaults.
        var request = options?.ToRequest();
        request?.Validate(); // bad settings are named before the name is looked up
        string project = options?.Project ?? IndexKey.DefaultProject;
        string key = IndexKey.For(project, name);
        await _known.EnsurePublishedAsync(project, [name], cancellationToken);
        return await Refusals.Translate(() => grains.GetGrain<IIndexGrain>(key).LoadAsync(request, cancellationToken));
    }

    public async Task UnloadIndexAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        // An index never published was never loaded: nothing to unload, and no grain to activate for it.
        if ((await _known.UnpublishedAsync(project, [name], cancellationToken)).Count == 0)
        {
            await grains.GetGrain<IIndexGrain>(IndexKey.For(project, name)).UnloadAsync(cancellationToken);
        }
    }

    public async Task<IndexInfo> GetIndexInfoAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        await _known.EnsurePublishedAsync(project, [name], cancellationToken);
        return await Refusals.Translate(() => grains.GetGrain<IIndexGrain>(IndexKey.For(project, name)).GetInfoAsync(cancellationToken));
    }

    public async Task<SearchResult> QueryIndexAsync(string name, string text, QueryOptions? options = null, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        await _known.EnsurePublishedAsync(project, [name], cancellationToken);
        var reader = grains.GetGrain<IIndexReaderGrain>(IndexKey.For(project, name));
        var query = ContractMapping.ToContract(text, options);
        return ContractMapping.ToEngine(await Refusals.Translate(() => reader.QueryAsync(query, cancellationToken)));
    }

    public Task<MultiIndexSearchResult> QueryIndexesAsync(IReadOnlyList<string> names, string text, QueryOptions? options = null, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default) =>
        MultiIndexFusion.QueryAsync(names, text, options, project, maxIndexesPerQuery, distinct => _known.EnsurePublishedAsync(project, distinct, cancellationToken), (key, query, candidates) =>
            Refusals.Translate(() => grains.GetGrain<IIndexReaderGrain>(key).QueryCandidatesAsync(query, candidates, cancellationToken)), time);

    public Task<string> AddDocsAsync(string indexName, IEnumerable<DocumentInfo> docs, MutationJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (spec, records) = JobRequests.AddDocs(indexName, docs, options);
        return SubmitJobAsync(spec, JobParts.Of(records, maxMessageBytes), cancellationToken);
    }

    public Task<string> DeleteDocsAsync(string indexName, IEnumerable<string> docIds, MutationJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (spec, ids) = JobRequests.DeleteDocs(indexName, docIds, options);
        return SubmitJobAsync(spec, JobParts.Of(ids), cancellationToken);
    }

    public Task<JobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IJobGrain>(JobIds.Checked(jobId)).GetStatusAsync(cancellationToken);

    public Task<JobStatus> WaitForJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = grains.GetGrain<IJobGrain>(JobIds.Checked(jobId));
        return JobPolling.WaitAsync(() => job.GetStatusAsync(cancellationToken), IsFailover, time, cancellationToken);
    }

    private async Task<string> SubmitJobAsync(JobSpec spec, IEnumerable<JobUpload> parts, CancellationToken cancellationToken)
    {
        string jobId = JobIds.New();
        var job = grains.GetGrain<IJobGrain>(jobId);
        await job.StartAsync(spec, cancellationToken);
        foreach (var part in parts)
        {
            await job.UploadAsync(part, cancellationToken);
        }

        await job.SubmitAsync(cancellationToken);
        return jobId;
    }

    /// <summary>What a call sees while a silo is dying and its grains move: time-outs and refused messages; the next call lands on a survivor.</summary>
    private static bool IsFailover(Exception e) => e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException;
}
