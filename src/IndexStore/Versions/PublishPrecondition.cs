namespace MossGrains.IndexStore.Versions;

/// <summary>
/// What the "latest" pointer must name for a publish to move it. <see cref="None"/>: any (the publish goes after whatever
/// is latest). <see cref="LatestIs"/>: exactly the version the new binary was built from (null = the key has no version yet),
/// so a writer that built on a stale version fails with <see cref="VersionConflictException"/> instead of dropping
/// another writer's changes.
/// </summary>
public readonly record struct PublishPrecondition
{
    private PublishPrecondition(bool required, string? expectedLatestId)
    {
        Required = required;
        ExpectedLatestId = expectedLatestId;
    }

    public static PublishPrecondition None => default;

    /// <summary>The pointer must still name <paramref name="basedOn"/> (null: the key must have no version).</summary>
    public static PublishPrecondition LatestIs(IndexVersion? basedOn) => new(true, basedOn?.Id);

    public bool Required { get; }

    public string? ExpectedLatestId { get; }

    /// <summary>Throws <see cref="VersionConflictException"/> when <paramref name="latest"/> is not the expected version.</summary>
    public void Check(string key, IndexVersion? latest)
    {
        if (Required && latest?.Id != ExpectedLatestId)
        {
            throw new VersionConflictException(key, ExpectedLatestId, latest?.Id);
        }
    }
}

/// <summary>A conditional publish found the "latest" pointer moved by another writer; nothing was published.</summary>
public sealed class VersionConflictException(string key, string? expected, string? actual)
    : Exception($"The latest version of '{key}' is {actual ?? "none"}, not {expected ?? "none"} as the publish expected; nothing was published. Rebuild from the latest version and retry.")
{
    public string Key { get; } = key;
}
