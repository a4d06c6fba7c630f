using Orleans.Concurrency;

namespace MossGrains.Grains.Indexes;

/// <summary>
/// Tells which index names exist before any grain is activated for them: one stateless worker per silo (key
/// <see cref="Key"/>) that reads the store's "latest" pointers. Clients ask it before they call an index's grains, so a
/// request naming indexes that were never published activates nothing for them.
/// </summary>
[Alias("moss.IIndexDirectoryGrain")]
public interface IIndexDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The only key: the directory holds no state of its own.</summary>
    public const long Key = 0;

    /// <summary>Most keys one call may ask about.</summary>
    public const int MaxKeysPerCall = 1024;

    /// <summary>The keys (<c>{project}/{name}</c>) among <paramref name="keys"/> that have no published version in the store.</summary>
    [Alias("unpublished")]
    [AlwaysInterleave]
    Task<IReadOnlyList<string>> UnpublishedAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);
}
