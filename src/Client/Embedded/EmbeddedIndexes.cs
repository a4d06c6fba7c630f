using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MossGrains.Engine.Embedding;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore;
using MossGrains.IndexStore.Indexes;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Client.Embedded;

/// <summary>
/// Loaded indexes in this process: the same <see cref="LoadedIndex"/> the index grain uses, refreshed by a timer of the
/// client's <see cref="TimeProvider"/> instead of a reminder.
/// </summary>
internal sealed partial class EmbeddedIndexes(IIndexStore store, EmbedderCatalog catalog, DurableSessionOptions options, TimeProvider time, ILogger logger) : IDisposable
{
    private const string Host = "embedded";
    private readonly ConcurrentDictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);

    /// <summary>Loads or refreshes now; <paramref name="request"/> null keeps a loaded index's settings (a new one gets the defaults).</summary>
    public async Task<IndexInfo> LoadAsync(string key, LoadIndexRequest? request, CancellationToken cancellationToken)
    {
        request?.Validate();
        var loaded = _loaded.GetOrAdd(key, k => new Loaded(new LoadedIndex(k, store, catalog, options.Index, time, logger)));
        try
        {
            await loaded.Index.RefreshAsync(force: true, cancellationToken);
        }
        catch when (loaded.Index.Current is null)
        {
            _loaded.TryRemove(new KeyValuePair<string, Loaded>(key, loaded));
            throw;
        }

        if (request is not null || !loaded.Scheduled)
        {
            loaded.Schedule(request ?? new LoadIndexRequest(), time, () => _ = RefreshInBackgroundAsync(loaded));
        }

        return loaded.Info();
    }

    public void Unload(string key)
    {
        if (_loaded.TryRemove(key, out var loaded))
        {
            loaded.Dispose();
        }
    }

    public IndexInfo Info(string key) => Get(key).Info();

    public Task<SessionQueryResult> QueryAsync(string key, SessionQuery query, CancellationToken cancellationToken) =>
        LoadedIndexQueries.QueryAsync(Get(key).Index.Serving, query, cancellationToken);

    public Task<IndexCandidates> CandidatesAsync(string key, SessionQuery query, int candidates, CancellationToken cancellationToken) =>
        LoadedIndexQueries.CandidatesAsync(key, Get(key).Index.Serving, query, candidates, cancellationToken);

    /// <summary>A job published a version of <paramref name="key"/>: a loaded copy picks it up now.</summary>
    public void NotifyPublished(string key)
    {
        if (_loaded.TryGetValue(key, out var loaded))
        {
            _ = RefreshInBackgroundAsync(loaded);
        }
    }

    public void Dispose()
    {
        foreach (var loaded in _loaded.Values)
        {
            loaded.Dispose();
        }

        _loaded.Clear();
    }

    private Loaded Get(string key) =>
        _loaded.TryGetValue(key, out var loaded) ? loaded : throw new IndexNotFoundException($"Index '{key}' is not loaded: call LoadIndexAsync first.");

    private async Task RefreshInBackgroundAsync(Loaded loaded)
    {
        try
        {
            await loaded.Index.RefreshAsync(force: false, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogRefreshFailed(logger, e, loaded.Index.Key);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Index {Key}: background refresh failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string key);

    private sealed class Loaded(LoadedIndex index) : IDisposable
    {
        private readonly Lock _gate = new();
        private ITimer? _timer;
        private LoadIndexRequest? _settings;
        private DateTimeOffset? _nextCheck;

        public LoadedIndex Index { get; } = index;

        public bool Scheduled => Volatile.Read(ref _settings) is not null;

        public void Schedule(LoadIndexRequest settings, TimeProvider time, Action refresh)
        {
            lock (_gate)
            {
                _timer?.Dispose();
                _timer = null;
                _settings = settings;
                _nextCheck = null;
                if (settings.AutoRefresh)
                {
                    _nextCheck = time.GetUtcNow() + settings.Interval;
                    _timer = time.CreateTimer(_ =>
                    {
                        lock (_gate)
                        {
                            _nextCheck = time.GetUtcNow() + settings.Interval;
                        }

                        refresh();
                    }, null, settings.Interval, settings.Interval);
                }
            }
        }

        public IndexInfo Info()
        {
            lock (_gate)
            {
                return Index.Describe(_settings ?? new LoadIndexRequest(), _nextCheck, Host);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }
    }
}
