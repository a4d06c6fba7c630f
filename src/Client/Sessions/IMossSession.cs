using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;

namespace MossGrains.Client.Sessions;

/// <summary>
/// An open session: Moss's API on one index. Bad input fails with <see cref="ArgumentException"/> (or a subclass) naming
/// the field and the limit, and a refused batch changes nothing.
/// </summary>
public interface IMossSession
{
    /// <summary>The index name.</summary>
    string Name { get; }

    /// <summary>The key <c>{project}/{name}</c>, by which any agent reaches the same session.</summary>
    string Key { get; }

    /// <summary>Adds or replaces documents (embedded where the session runs); returns how many were new and how many replaced.</summary>
    Task<(int Added, int Updated)> AddDocsAsync(IEnumerable<DocumentInfo> docs, MutationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Semantic, keyword or hybrid search (<see cref="QueryOptions.Alpha"/>), with filters and top-k.</summary>
    Task<SearchResult> QueryAsync(string text, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>All documents, or the named ones in request order (unknown ids skipped).</summary>
    Task<IReadOnlyList<DocumentInfo>> GetDocsAsync(GetDocumentsOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes by id; unknown ids are ignored. Returns how many were deleted.</summary>
    Task<int> DeleteDocsAsync(IEnumerable<string> docIds, CancellationToken cancellationToken = default);

    Task<int> GetDocCountAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes the index binary to the store as a new version and makes it the latest.</summary>
    /// <remarks>
    /// The push is conditional on the version this copy last loaded or pushed and on this copy still owning the session:
    /// when another writer of the name (the live session grain, a local session, a job) published in between, nothing is
    /// published and <see cref="Grains.Sessions.SessionVersionConflictException"/> names both versions (HTTP 409).
    /// </remarks>
    Task<PushResult> PushIndexAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// After a <see cref="Grains.Sessions.SessionVersionConflictException"/>: puts this copy's own writes since its last load
    /// or push on top of the latest version (re-applied as upserts with their stored vectors, no embedding) and pushes the
    /// result, in one call. The other writer's documents are kept; where both wrote the same id, this copy's write wins.
    /// </summary>
    Task<PushResult> RebaseAsync(CancellationToken cancellationToken = default);

    /// <summary>Model, durability, doc count and where the session lives.</summary>
    Task<SessionInfo> GetInfoAsync(CancellationToken cancellationToken = default);
}
