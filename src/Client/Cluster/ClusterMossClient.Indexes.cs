using MossGrains.Client.Failover;
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
        // Loading again refreshes: idempotent.
        return await calls.RetriedAsync(() => grains.GetGrain<IIndexGrain>(key).LoadAsync(request, cancellationToken), cancellationToken);
    }

    public async Task UnloadIndexAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        // An index never published was never loaded: nothing to unload, and no grain to activate for it.
        if ((await _known.UnpublishedAsync(project, [name], cancellationToken)).Count == 0)
        {
            await calls.RetriedAsync(() => grains.GetGrain<IIndexGrain>(IndexKey.For(project, name)).UnloadAsync(cancellationToken), cancellationToken);
        }
    }

    public async Task<IndexInfo> GetIndexInfoAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        await _known.EnsurePublishedAsync(project, [name], cancellationToken);
        return await calls.RetriedAsync(() => grains.GetGrain<IIndexGrain>(IndexKey.For(project, name)).GetInfoAsync(cancellationToken), cancellationToken);
    }

    public async Task<SearchResult> QueryIndexAsync(string name, string text, QueryOptions? options = null, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        await _known.EnsurePublishedAsync(project, [name], cancellationToken);
        var reader = grains.GetGrain<IIndexReaderGrain>(IndexKey.For(project, name));
        var query = ContractMapping.ToContract(text, options);
        return ContractMapping.ToEngine(await calls.RetriedAsync(() => reader.QueryAsync(query, cancellationToken), cancellationToken));
    }

    public Task<MultiIndexSearchResult> QueryIndexesAsync(IReadOnlyList<string> names, string text, QueryOptions? options = null, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default) =>
        MultiIndexFusion.QueryAsync(names, text, options, project, maxIndexesPerQuery, distinct => _known.EnsurePublishedAsync(project, distinct, cancellationToken), (key, query, candidates) =>
            calls.RetriedAsync(() => grains.GetGrain<IIndexReaderGrain>(key).QueryCandidatesAsync(query, candidates, cancellationToken), cancellationToken), time);

    public Task<string> AddDocsAsync(string indexName, IEnumerable<DocumentInfo> docs, MutationJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (spec, records) = JobRequests.AddDocs(indexName, docs, options);
        return SubmitJobAsync(spec, [.. JobParts.Of(records, maxMessageBytes)], cancellationToken);
    }

    public Task<string> DeleteDocsAsync(string indexName, IEnumerable<string> docIds, MutationJobOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (spec, ids) = JobRequests.DeleteDocs(indexName, docIds, options);
        return SubmitJobAsync(spec, [.. JobParts.Of(ids)], cancellationToken);
    }

    public Task<JobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default) =>
        calls.RetriedAsync(() => grains.GetGrain<IJobGrain>(JobIds.Checked(jobId)).GetStatusAsync(cancellationToken), cancellationToken);

    public Task<JobStatus> WaitForJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = grains.GetGrain<IJobGrain>(JobIds.Checked(jobId));
        return JobPolling.WaitAsync(() => job.GetStatusAsync(cancellationToken), TransientClusterFailures.Is, time, cancellationToken);
    }

    /// <summary>
    /// Without an idempotency key a job gets a new id and its submission is sent once. With one (<see cref="MossIdempotency"/>),
    /// its id is made from the key and the submission is retried through a failover: a retry finds the job and only
    /// uploads what it lacks, so the job runs once.
    /// </summary>
    private Task<string> SubmitJobAsync(JobSpec spec, IReadOnlyList<JobUpload> parts, CancellationToken cancellationToken)
    {
        if (MossIdempotency.Current is not { } key)
        {
            return calls.OnceAsync(() => SubmitAsync(JobIds.New(), spec, parts, cancellationToken), cancellationToken);
        }

        string jobId = JobIds.For(IndexKey.Parse(spec.IndexKey).Project, key);
        var keyed = spec with { InputHash = JobIds.InputHash(parts) };
        return calls.RetriedAsync(() => SubmitAsync(jobId, keyed, parts, cancellationToken), cancellationToken);
    }

    private async Task<string> SubmitAsync(string jobId, JobSpec spec, IReadOnlyList<JobUpload> parts, CancellationToken cancellationToken)
    {
        var job = grains.GetGrain<IJobGrain>(jobId);
        var status = await job.StartAsync(spec, cancellationToken);
        if (status.State is not (JobState.PendingUpload or JobState.Uploading))
        {
            return jobId; // submitted before: a retry
        }

        int uploaded = 0;
        foreach (var part in parts)
        {
            // A retry skips the parts the job already stored (each part is stored whole before its count is).
            if (uploaded >= status.Processed)
            {
                await job.UploadAsync(part, cancellationToken);
            }

            uploaded += part.Count;
        }

        await job.SubmitAsync(cancellationToken);
        return jobId;
    }
}
