using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.Contracts;

namespace MossGrains.Client.Sessions;

/// <summary>A session living in the cluster as an <see cref="ISessionGrain"/>; every call is one grain call.</summary>
internal sealed class GrainSession(ISessionGrain grain, string key, string name, long maxMessageBytes) : IMossSession
{
    public string Name => name;

    public string Key => key;

    public async Task<(int Added, int Updated)> AddDocsAsync(IEnumerable<DocumentInfo> docs, MutationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docs);
        var batch = docs.Select((d, i) => ContractMapping.ToContract(d ?? throw new ArgumentNullException($"docs[{i}]", "Documents must not be null."))).ToArray();
        BatchSize.EnsureFits(batch, maxMessageBytes);
        var result = await Refusals.Translate(() => grain.AddDocsAsync(batch, options?.Upsert ?? true, cancellationToken));
        return (result.Added, result.Updated);
    }

    public async Task<SearchResult> QueryAsync(string text, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var query = ContractMapping.ToContract(text, options);
        return ContractMapping.ToEngine(await Refusals.Translate(() => grain.QueryAsync(query, cancellationToken)));
    }

    public async Task<IReadOnlyList<DocumentInfo>> GetDocsAsync(GetDocumentsOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new GetDocsRequest(options?.DocIds, options?.IncludeEmbeddings ?? false);
        var docs = await Refusals.Translate(() => grain.GetDocsAsync(request, cancellationToken));
        return [.. docs.Select(ContractMapping.ToEngine)];
    }

    public Task<int> DeleteDocsAsync(IEnumerable<string> docIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docIds);
        var ids = docIds as IReadOnlyList<string> ?? [.. docIds];
        return Refusals.Translate(() => grain.DeleteDocsAsync(ids, cancellationToken));
    }

    public Task<int> GetDocCountAsync(CancellationToken cancellationToken = default) =>
        Refusals.Translate(() => grain.GetDocCountAsync(cancellationToken));

    public Task<PushResult> PushIndexAsync(CancellationToken cancellationToken = default) =>
        Refusals.Translate(() => grain.PushIndexAsync(cancellationToken));

    public Task<PushResult> RebaseAsync(CancellationToken cancellationToken = default) =>
        Refusals.Translate(() => grain.RebaseIndexAsync(cancellationToken));

    public Task<SessionInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        Refusals.Translate(() => grain.GetInfoAsync(cancellationToken));
}
