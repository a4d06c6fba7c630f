using MossGrains.Client.Sessions;

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
    /// A session held in this process, hydrated from the store's latest pushed version of <paramref name="name"/>: queries
    /// make no network hop; <see cref="IMossSession.PushIndexAsync"/> writes it back as a new version. In embedded mode
    /// this is the same as <see cref="SessionAsync"/>.
    /// </summary>
    Task<IMossSession> LocalSessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default);
}
