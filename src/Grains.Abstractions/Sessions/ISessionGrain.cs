using MossGrains.Grains.Idempotency;
using Orleans.Concurrency;

namespace MossGrains.Grains.Sessions;

/// <summary>
/// A session: one in-memory index per key <c>"{project}/{index name}"</c> (<see cref="Naming.IndexKey"/>), reachable from any
/// client or silo by that key alone. The first call creates or resumes it: with a pushed binary in the store it hydrates
/// from it (no embedding), otherwise it starts empty. Queries and reads run in parallel on every core; writes run one at a time.
/// Bad input fails with the engine's <see cref="ArgumentException"/> family, naming the field and the limit.
/// </summary>
[Alias("moss.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Create-or-resume with the caller's model and durability; a model that differs from the stored binary's is refused.</summary>
    [Alias("open")]
    Task<SessionInfo> OpenAsync(SessionOpenRequest request, CancellationToken cancellationToken = default);

    [Alias("info")]
    [AlwaysInterleave]
    Task<SessionInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces documents (upsert true) or refuses existing ids (false). A refused batch changes nothing.</summary>
    [Alias("add")]
    [RemembersAnswer]
    Task<AddDocsResult> AddDocsAsync(IReadOnlyList<DocumentRecord> docs, bool upsert = true, CancellationToken cancellationToken = default);

    [Alias("query")]
    [AlwaysInterleave]
    Task<SessionQueryResult> QueryAsync(SessionQuery query, CancellationToken cancellationToken = default);

    [Alias("get")]
    [AlwaysInterleave]
    Task<IReadOnlyList<DocumentRecord>> GetDocsAsync(GetDocsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes by id; unknown ids are ignored. Returns how many were deleted.</summary>
    [Alias("delete")]
    [RemembersAnswer]
    Task<int> DeleteDocsAsync(IReadOnlyList<string> docIds, CancellationToken cancellationToken = default);

    [Alias("count")]
    [AlwaysInterleave]
    Task<int> GetDocCountAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the index binary as a new immutable version and moves the "latest" pointer to it once verified.</summary>
    [Alias("push")]
    [RemembersAnswer]
    Task<PushResult> PushIndexAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts the writes this activation made since its last load or push on top of the latest version and pushes the result
    /// (after <see cref="SessionVersionConflictException"/>: another writer published first).
    /// </summary>
    [Alias("rebase")]
    Task<PushResult> RebaseIndexAsync(CancellationToken cancellationToken = default);
}
