using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Embedding;
using MossGrains.Grains.Naming;
using MossGrains.IndexStore;
using MossGrains.IndexStore.FileSystem;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Client.Embedded;

/// <summary>
/// The sessions one process holds over an <see cref="IIndexStore"/>: one per key, opened by create-or-resume on first
/// use and flushed (as their durability requires) on dispose. Embedded mode and cluster clients' local sessions use it.
/// </summary>
internal sealed class LocalSessionRegistry(IIndexStore store, EmbedderCatalog catalog, DurableSessionOptions options, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LocalSession>>> _sessions = new(StringComparer.Ordinal);

    /// <summary>A registry over <paramref name="store"/>, with the built-in catalog when none is given and a logger of <paramref name="category"/>.</summary>
    public static LocalSessionRegistry Create(
        IIndexStore store, EmbedderCatalog? catalog, DurableSessionOptions options, TimeProvider time, ILoggerFactory? loggers, string category) =>
        new(store, catalog ?? EmbedderCatalog.Default, options, time, (loggers ?? NullLoggerFactory.Instance).CreateLogger(category));

    /// <summary>The index store of a local folder (embedded mode, or a single-node silo's folder).</summary>
    public static IIndexStore FolderStore(string folder, TimeProvider time) =>
        new FileSystemIndexStore(Options.Create(new FileSystemIndexStoreOptions { RootDirectory = folder }), time);

    public async Task<IMossSession> OpenAsync(string name, SessionOptions? sessionOptions, CancellationToken cancellationToken)
    {
        sessionOptions ??= new SessionOptions();
        string key = IndexKey.For(sessionOptions.Project, name);
        // Shared by every caller opening the same key, so one caller's cancellation stops only its own wait.
        var lazy = _sessions.GetOrAdd(key, k => new Lazy<Task<LocalSession>>(async () => new LocalSession(await DurableSession.OpenAsync(
            k, sessionOptions.ModelId, sessionOptions.Durability, store, catalog, options, time, logger, CancellationToken.None))));
        LocalSession session;
        try
        {
            session = await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // A failed open is not kept: the next caller tries again.
            _sessions.TryRemove(new KeyValuePair<string, Lazy<Task<LocalSession>>>(key, lazy));
            throw;
        }

        session.Durable.EnsureModel(sessionOptions.ModelId, nameof(sessionOptions));

        if (sessionOptions.Durability is { } durability)
        {
            session.Durable.SetDurability(durability);
        }

        return session;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _sessions.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.Durable.FlushAsync(CancellationToken.None);
            }
        }

        _sessions.Clear();
    }
}
