using MossGrains.Grains.Naming;
using MossGrains.IndexStore;
using Orleans.Concurrency;

namespace MossGrains.Grains.Indexes;

/// <summary>
/// The index directory (see <see cref="IIndexDirectoryGrain"/>): pointer reads for keys not yet seen published, none for
/// keys seen before (a "latest" pointer, once written, is never removed).
/// </summary>
[StatelessWorker]
public sealed class IndexDirectoryGrain(IIndexStore store, PublishedIndexKeys published) : Grain, IIndexDirectoryGrain, Security.IProjectOwned
{
    /// <summary>The directory serves every project; the call filter checks the projects of the keys a client asks about.</summary>
    public string? Project => null;

    public async Task<IReadOnlyList<string>> UnpublishedAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count > IIndexDirectoryGrain.MaxKeysPerCall)
        {
            throw new ArgumentException($"{keys.Count} keys asked about at once; at most {IIndexDirectoryGrain.MaxKeysPerCall}.", nameof(keys));
        }

        var unseen = keys.Distinct(StringComparer.Ordinal).Where(key => !published.Contains(key)).ToList();
        foreach (string key in unseen)
        {
            _ = IndexKey.Parse(key); // refuses a malformed key before the store sees it
        }

        var found = await Task.WhenAll(unseen.Select(async key => (key, latest: await store.GetLatestAsync(key, cancellationToken))));
        foreach (var (key, latest) in found.Where(f => f.latest is not null))
        {
            published.Add(key);
        }

        return [.. found.Where(f => f.latest is null).Select(f => f.key)];
    }
}
