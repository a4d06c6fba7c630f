using MossGrains.Client.Failover;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.Contracts;

namespace MossGrains.Client.Sessions;

/// <summary>
/// A session living in the cluster as an <see cref="ISessionGrain"/>; every call is one grain call, retried through a
/// failover when it is idempotent (<see cref="ClusterCalls"/>): queries, reads, upserts and deletes by id, and a push
/// that carries an idempotency key.
/// </summary>
internal sealed class GrainSession(ISessionGrain grain, string key, string name, long maxMessageBytes, ClusterCalls calls) : IMossSession
{
    public string Name => name;

    public string Key => key;

    public async Task<(int Added, int Updated)> AddDocsAsync(IEnumerable<DocumentInfo> docs, MutationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docs);
        var batch = docs.Select((d, i) => ContractMapping.ToContract(d ?? throw new ArgumentNullException($"docs[{i}]", "Documents must not be null."))).ToArray();
        BatchSize.EnsureFits(batch, maxMessageBytes);
        bool upsert = options?.Upsert ?? true;
        var result = await calls.RetriedAsync(() => grain.AddDocsAsync(batch, upsert, cancellationToken), retry: upsert || MossIdempotency.Current is not null, cancellationToken);
        return (result.Added, result.Updated);
    }

    public async Task<SearchResult> QueryAsync(string text, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var query = ContractMapping.ToContract(text, options);
        return ContractMapping.ToEngine(await calls.RetriedAsync(() => grain.QueryAsync(query, cancellationToken), cancellationToken));
    }

    public async Task<IReadOnlyList<DocumentInfo>> GetDocsAsync(GetDocumentsOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new GetDocsRequest(options?.DocIds, options?.IncludeEmbeddings ?? false);
        var docs = await calls.RetriedAsync(() => grain.GetDocsAsync(request, cancellationToken), cancellationToken);
        return [.. docs.Select(ContractMapping.ToEngine)];
    }

    public Task<int> DeleteDocsAsync(IEnumerable<string> docIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docIds);
        var ids = docIds as IReadOnlyList<string> ?? [.. docIds];
        return calls.RetriedAsync(() => grain.DeleteDocsAsync(ids, cancellationToken), cancellationToken);
    }

    public Task<int> GetDocCountAsync(CancellationToken cancellationToken = default) =>
        calls.RetriedAsync(() => grain.GetDocCountAsync(cancellationToken), cancellationToken);

    // A push without a key is sent once: sent again after a lost answer it would publish a second version.
    public Task<PushResult> PushIndexAsync(CancellationToken cancellationToken = default) =>
        calls.RetriedAsync(() => grain.PushIndexAsync(cancellationToken), retry: MossIdempotency.Current is not null, cancellationToken);

    public Task<PushResult> RebaseAsync(CancellationToken cancellationToken = default) =>
        Refusals.Translate(() => grain.RebaseIndexAsync(cancellationToken));

    public Task<SessionInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        calls.RetriedAsync(() => grain.GetInfoAsync(cancellationToken), cancellationToken);
}
