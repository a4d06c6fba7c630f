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
        var result = await grain.AddDocsAsync(batch, options?.Upsert ?? true, cancellationToken);
        return (result.Added, result.Updated);
    }

    public async Task<SearchResult> QueryAsync(string text, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ContractMapping.ToEngine(await grain.QueryAsync(ContractMapping.ToContract(text, options), cancellationToken));
    }

    public async Task<IReadOnlyList<DocumentInfo>> GetDocsAsync(GetDocumentsOptions? options = null, CancellationToken cancellationToken = default)
    {
        var docs = await grain.GetDocsAsync(new GetDocsRequest(options?.DocIds, options?.IncludeEmbeddings ?? false), cancellationToken);
        return [.. docs.Select(ContractMapping.ToEngine)];
    }

    public Task<int> DeleteDocsAsync(IEnumerable<string> docIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docIds);
        return grain.DeleteDocsAsync(docIds as IReadOnlyList<string> ?? [.. docIds], cancellationToken);
    }

    public Task<int> GetDocCountAsync(CancellationToken cancellationToken = default) => grain.GetDocCountAsync(cancellationToken);

    public Task<PushResult> PushIndexAsync(CancellationToken cancellationToken = default) => grain.PushIndexAsync(cancellationToken);

    public Task<SessionInfo> GetInfoAsync(CancellationToken cancellationToken = default) => grain.GetInfoAsync(cancellationToken);
}
