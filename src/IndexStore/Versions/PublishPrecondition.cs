namespace MossGrains.IndexStore.Versions;

/// <summary>
/// What the "latest" pointer must name for a publish to move it. <see cref="None"/>: any (the publish goes after whatever
/// is latest). <see cref="LatestIs"/>: exactly the version the new binary was built from (null = the key has no version yet),
/// so a writer that built on a stale version fails with <see cref="VersionConflictException"/> instead of dropping
/// another writer's changes. <see cref="OwnedLatestIs"/>: that, and the owner epoch is still the writer's own, so a session
/// copy that lost ownership (<see cref="IIndexStore.ClaimOwnershipAsync"/>) can never publish.
/// </summary>
public readonly record struct PublishPrecondition
{
    private PublishPrecondition(bool required, string? expectedLatestId, long? owner)
    {
        Required = required;
        ExpectedLatestId = expectedLatestId;
        Owner = owner;
    }

    public static PublishPrecondition None => default;

    /// <summary>The pointer must still name <paramref name="basedOn"/> (null: the key must have no version).</summary>
    public static PublishPrecondition LatestIs(IndexVersion? basedOn) => new(true, basedOn?.Id, null);

    /// <summary>The pointer must still name <paramref name="basedOn"/> and owner epoch <paramref name="owner"/>.</summary>
    public static PublishPrecondition OwnedLatestIs(IndexVersion? basedOn, long owner) => new(true, basedOn?.Id, owner);

    public bool Required { get; }

    public string? ExpectedLatestId { get; }

    /// <summary>The owner epoch the pointer must hold, or null when any owner will do.</summary>
    public long? Owner { get; }

    /// <summary>Throws <see cref="VersionConflictException"/> when <paramref name="latest"/> is not what the publisher expected.</summary>
    public void Check(string key, LatestPointer latest)
    {
        ArgumentNullException.ThrowIfNull(latest);
        if (Required && (latest.Version?.Id != ExpectedLatestId || (Owner is { } owner && owner != latest.Owner)))
        {
            throw new VersionConflictException(key, ExpectedLatestId, latest.Version?.Id, Owner, latest.Owner);
        }
    }
}

/// <summary>
/// A conditional publish found the "latest" pointer moved by another writer, or another session copy owning the key;
/// nothing was published. <see cref="ExpectedVersion"/> is what the publisher built on, <see cref="FoundVersion"/> what is latest.
/// </summary>
public sealed class VersionConflictException : Exception
{
    public VersionConflictException(string key, string? expected, string? found, long? expectedOwner = null, long foundOwner = 0)
        : base(expectedOwner is { } mine && mine != foundOwner && expected == found
            ? $"Session '{key}' was opened by another copy (owner {foundOwner}; this copy is owner {mine}) at version {found ?? "none"}; this copy can no longer publish. Nothing was published."
            : $"The latest version of '{key}' is {found ?? "none"}, not {expected ?? "none"} as the publish expected; nothing was published. Rebuild from the latest version and retry.")
    {
        Key = key;
        ExpectedVersion = expected;
        FoundVersion = found;
    }

    public string Key { get; }

    /// <summary>The version the publisher built on (null: none).</summary>
    public string? ExpectedVersion { get; }

    /// <summary>The version the pointer named (null: none).</summary>
    public string? FoundVersion { get; }
}
