using System.Collections.Concurrent;

namespace MossGrains.Grains.Indexes;

/// <summary>
/// Index keys this silo has seen with a published version. A published key stays published (the store never removes a
/// "latest" pointer), so the set only grows, and only with indexes that exist.
/// </summary>
public sealed class PublishedIndexKeys
{
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);

    public bool Contains(string key) => _keys.ContainsKey(key);

    public void Add(string key) => _keys.TryAdd(key, 0);
}
