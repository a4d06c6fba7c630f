using MossGrains.Client.Indexes;
using MossGrains.Client.Jobs;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Session;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;

namespace MossGrains.Client;

/// <summary>
/// The entry point of MossGrains: opens sessions by name. The same interface serves a cluster (sessions are grains,
/// reached through an Orleans client) and embedded mode (sessions in this process, binaries in a local folder).
/// Build one with <see cref="MossClient"/>, or register it with <c>services.AddMossClient()</c> / <c>AddMossEmbedded()</c>.
/// </summary>
public interface IMossClient : IAsyncDisposable
{
    /// <summary>
    /// Create-or-resume the session <paramref name="name"/>: an existing one (live, or pushed earlier) is resumed with its
    /// documents; otherwise it starts empty with <see cref="SessionOptions.ModelId"/> or the default model.
    /// </summary>
    Task<IMossSession> SessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The session <paramref name="name"/> as it was opened (a new one gets the defaults), with no open call of its own:
    /// in a cluster the handle's first call resumes the grain, so a query through it never queues behind a write running
    /// on the session, as the exclusive open step of <see cref="SessionAsync"/> does. For callers that hold no handle
    /// between requests (the HTTP API). In embedded mode it is <see cref="SessionAsync"/> with the defaults.
    /// </summary>
    Task<IMossSession> ResumeSessionAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default);

    /// <summary>
    /// A session held in this process, hydrated from the store's latest pushed version of <paramref name="name"/>: queries
    /// make no network hop; <see cref="IMossSession.PushIndexAsync"/> writes it back as a new version. In embedded mode
    /// this is the same as <see cref="SessionAsync"/>.
    /// </summary>
    Task<IMossSession> LocalSessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads a read-mostly index from the store's latest version (no embedding) and keeps it current: with
    /// <see cref="LoadIndexOptions.AutoRefresh"/> a newer version is picked up within one polling interval and swapped in
    /// with no failed query. Called on an index that is already loaded, it refreshes now and returns when done (and applies
    /// the options given). Unknown index: <see cref="IndexNotFoundException"/>.
    /// </summary>
    Task<IndexInfo> LoadIndexAsync(string name, LoadIndexOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Stops refreshing a loaded index and frees its memory; the store keeps its versions.</summary>
    Task UnloadIndexAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default);

    /// <summary>Version, doc count, model, loaded-at, last and next check, last refresh error of a loaded index.</summary>
    Task<IndexInfo> GetIndexInfoAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default);

    /// <summary>Queries a loaded index (any client can, by name, once one has loaded it).</summary>
    Task<SearchResult> QueryIndexAsync(string name, string text, QueryOptions? options = null, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default);

    /// <summary>One query over several loaded indexes of one model, merged into one top-k (see docs/indexes.md for how scores are made comparable).</summary>
    Task<MultiIndexSearchResult> QueryIndexesAsync(IReadOnlyList<string> names, string text, QueryOptions? options = null, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits a job that adds (or replaces) documents in the index <paramref name="indexName"/>, creating it if needed, and
    /// returns its id once its input is stored (nothing is lost if this client goes away). The job publishes a new version;
    /// jobs on one index apply in submission order. Follow it with <see cref="GetJobStatusAsync"/> or <see cref="WaitForJobAsync"/>.
    /// </summary>
    Task<string> AddDocsAsync(string indexName, IEnumerable<DocumentInfo> docs, MutationJobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Submits a job that deletes documents by id (unknown ids are ignored); returns its id as <see cref="AddDocsAsync"/> does.</summary>
    Task<string> DeleteDocsAsync(string indexName, IEnumerable<string> docIds, MutationJobOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Status of a job from any client: pending_upload, uploading, building (with phase and progress), completed or failed.</summary>
    Task<JobStatus> GetJobStatusAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Polls <see cref="GetJobStatusAsync"/> until the job is completed or failed (riding out a failover), then returns its status.</summary>
    Task<JobStatus> WaitForJobAsync(string jobId, CancellationToken cancellationToken = default);
}
