using MossGrains.Grains.Indexes;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.Contracts;

namespace MossGrains.IndexStore.Indexes;

/// <summary>Queries of one loaded version, on the thread pool: the index grain, its read replicas and embedded mode share them.</summary>
public static class LoadedIndexQueries
{
    public static async Task<SessionQueryResult> QueryAsync(LoadedVersion version, SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(query);
        var options = ContractMapping.ToEngine(query);
        var result = await Task.Run(() => version.Index.QueryAsync(query.Text, options, cancellationToken), cancellationToken);
        return ContractMapping.ToContract(result) with { Version = version.Version.Id };
    }

    /// <summary>
    /// The raw candidates a multi-index query fuses: the top <paramref name="candidates"/> by cosine similarity (when alpha
    /// &gt; 0) and by BM25 (when alpha &lt; 1), each within the query's filter. Alpha null is this index's default.
    /// </summary>
    public static async Task<IndexCandidates> CandidatesAsync(string key, LoadedVersion version, SessionQuery query, int candidates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(query);
        float alpha = query.Alpha ?? version.Index.DefaultAlpha;
        var each = query with { TopK = candidates };
        var semantic = alpha > 0 ? (await QueryAsync(version, each with { Alpha = 1 }, cancellationToken)).Docs : [];
        var keyword = alpha < 1 ? (await QueryAsync(version, each with { Alpha = 0 }, cancellationToken)).Docs : [];
        return new IndexCandidates(key, version.Index.ModelId, version.Version.Id, semantic, keyword, alpha);
    }
}
