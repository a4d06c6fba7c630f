using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore;

/// <summary>
/// Where index binaries live, per key <c>{project}/{index name}</c>: immutable versions, a "latest" pointer that only
/// ever names a complete, verified version, and a write-ahead log in segments named after the version they follow.
/// The pointer also holds the owner epoch by which one session copy at a time owns a key (see docs/sessions.md).
/// Implementations: <see cref="FileSystem.FileSystemIndexStore"/> (atomic rename, lock files) and
/// <see cref="AzureBlob.AzureBlobIndexStore"/> (ETag compare-and-swap, sealed append blobs).
/// </summary>
public interface IIndexStore
{
    /// <summary>The version the "latest" pointer names, or null when the key was never pushed.</summary>
    Task<IndexVersion?> GetLatestAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a version's bytes and checks them against the length and SHA-256 recorded for it; a mismatch throws
    /// <see cref="Engine.Persistence.IndexFormatException"/>.
    /// </summary>
    Task<byte[]> ReadVersionAsync(string key, IndexVersion version, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="binary"/> as a new immutable version, verifies what was stored, then moves the "latest"
    /// pointer to it (compare-and-swap: a concurrent publisher's move is never overwritten blindly; the later one wins
    /// with the next sequence number). Older versions beyond the configured count are pruned. With
    /// <see cref="PublishPrecondition.LatestIs"/>, the pointer moves only if it still names the version the binary was built
    /// from; otherwise <see cref="VersionConflictException"/> and the written version is deleted.
    /// </summary>
    Task<IndexVersion> PublishAsync(string key, ReadOnlyMemory<byte> binary, PublishPrecondition precondition, CancellationToken cancellationToken);

    /// <summary>The whole pointer: the latest version (null before the first push) and the owner epoch.</summary>
    Task<LatestPointer> GetPointerAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Takes ownership of <paramref name="key"/>: moves the pointer's owner epoch one past the current one (compare-and-swap,
    /// the version stays) and returns the new pointer. From then on a publish with <see cref="PublishPrecondition.OwnedLatestIs"/>
    /// of an older epoch is refused.
    /// </summary>
    Task<LatestPointer> ClaimOwnershipAsync(string key, CancellationToken cancellationToken);

    /// <summary>Creates an empty log segment (nothing when it exists, sealed or not).</summary>
    Task CreateLogAsync(string key, string segment, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one record to an existing log segment; durable when the task completes. A segment that is sealed or does not
    /// exist fails with <see cref="Log.LogSealedException"/> and nothing is appended.
    /// </summary>
    Task AppendLogAsync(string key, string segment, ReadOnlyMemory<byte> record, CancellationToken cancellationToken);

    /// <summary>
    /// Seals a log segment: once the task completes every later append fails, and an append that raced it either landed
    /// before (and is read) or failed. Nothing when the segment does not exist.
    /// </summary>
    Task SealLogAsync(string key, string segment, CancellationToken cancellationToken);

    /// <summary>The names of the key's log segments, in no particular order.</summary>
    Task<IReadOnlyList<string>> ListLogsAsync(string key, CancellationToken cancellationToken);

    /// <summary>The complete records of a segment in order (none when it does not exist); a torn last record is reported, not returned.</summary>
    Task<LogReadResult> ReadLogAsync(string key, string segment, CancellationToken cancellationToken);

    /// <summary>Deletes a log segment (nothing when it does not exist).</summary>
    Task DeleteLogAsync(string key, string segment, CancellationToken cancellationToken);
}

/// <summary>The records of a log segment; <paramref name="TornTail"/> when bytes after the last complete record were dropped.</summary>
public sealed record LogReadResult(IReadOnlyList<byte[]> Records, bool TornTail)
{
    public static LogReadResult Empty { get; } = new([], false);
}
