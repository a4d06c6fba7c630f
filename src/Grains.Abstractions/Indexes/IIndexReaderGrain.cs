using MossGrains.Grains.Sessions;
using Orleans.Concurrency;

namespace MossGrains.Grains.Indexes;

/// <summary>
/// Where queries of a loaded index enter: a stateless worker, so Orleans runs it on the silo whose gateway received the
/// call (no hop). When the index is loaded with <see cref="LoadIndexRequest.ServeFromEverySilo"/> it holds a replica that
/// follows the <see cref="IIndexGrain"/>'s version; otherwise it forwards to the index grain.
/// </summary>
[Alias("moss.IIndexReaderGrain")]
public interface IIndexReaderGrain : IGrainWithStringKey
{
    [Alias("query")]
    Task<SessionQueryResult> QueryAsync(SessionQuery query, CancellationToken cancellationToken = default);

    [Alias("candidates")]
    Task<IndexCandidates> QueryCandidatesAsync(SessionQuery query, int candidates, CancellationToken cancellationToken = default);
}
