using Microsoft.Extensions.Logging;
using MossGrains.Client.Sessions;

namespace MossGrains.Client.Embedded;

/// <summary>Embedded mode: every session is a <see cref="IndexStore.Sessions.DurableSession"/> in this process; no cluster.</summary>
internal sealed class EmbeddedMossClient(LocalSessionRegistry sessions) : IMossClient
{
    public Task<IMossSession> SessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default) =>
        sessions.OpenAsync(name, options, cancellationToken);

    public Task<IMossSession> LocalSessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default) =>
        sessions.OpenAsync(name, options, cancellationToken);

    public ValueTask DisposeAsync() => sessions.DisposeAsync();

    public static EmbeddedMossClient Create(EmbeddedMossOptions options, ILoggerFactory? loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Sessions.Validate();
        return new EmbeddedMossClient(LocalSessionRegistry.Create(
            LocalSessionRegistry.FolderStore(options.IndexFolder, options.TimeProvider), options.Catalog, options.Sessions, options.TimeProvider, loggers, "MossGrains.Embedded"));
    }
}
