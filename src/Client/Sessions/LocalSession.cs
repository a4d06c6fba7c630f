using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Client.Sessions;

/// <summary>A session held in this process (embedded mode, or a cluster client's local session) over a <see cref="DurableSession"/>.</summary>
internal sealed class LocalSession(DurableSession session) : IMossSession
{
    public string Name => session.Index.Name;

    public string Key => session.Key;

    internal DurableSession Durable => session;

    public async Task<(int Added, int Updated)> AddDocsAsync(IEnumerable<DocumentInfo> docs, MutationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docs);
        var result = await session.AddDocsAsync(docs as IReadOnlyList<DocumentInfo> ?? [.. docs], options, cancellationToken);
        await session.CheckpointIfDueAsync(cancellationToken);
        return result;
    }

    public Task<SearchResult> QueryAsync(string text, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        session.Index.QueryAsync(text, options, cancellationToken);

    public Task<IReadOnlyList<DocumentInfo>> GetDocsAsync(GetDocumentsOptions? options = null, CancellationToken cancellationToken = default) =>
        session.Index.GetDocsAsync(options, cancellationToken);

    public async Task<int> DeleteDocsAsync(IEnumerable<string> docIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docIds);
        int deleted = await session.DeleteDocsAsync(docIds as IReadOnlyList<string> ?? [.. docIds], cancellationToken);
        await session.CheckpointIfDueAsync(cancellationToken);
        return deleted;
    }

    public Task<int> GetDocCountAsync(CancellationToken cancellationToken = default) => Task.FromResult(session.Index.DocCount);

    public async Task<PushResult> PushIndexAsync(CancellationToken cancellationToken = default)
    {
        var version = await session.PushAsync(cancellationToken);
        return new PushResult(version.Id, version.Sequence, session.Index.DocCount, version.Length);
    }

    public async Task<PushResult> RebaseAsync(CancellationToken cancellationToken = default)
    {
        var version = await session.RebaseAsync(cancellationToken);
        return new PushResult(version.Id, version.Sequence, session.Index.DocCount, version.Length);
    }

    public Task<SessionInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new SessionInfo(
            session.Key, session.Index.ModelId, session.Index.Dimensions, session.Index.DocCount, session.Durability,
            session.Latest?.Id, "local", Environment.MachineName));
}
