namespace MossGrains.IndexStore.Versions;

/// <summary>
/// One immutable, verified index binary in the store, as the "latest" pointer names it.
/// </summary>
/// <param name="Id">Sortable, unique version id: creation time in UTC ticks, then a random suffix.</param>
/// <param name="Sequence">1 for a key's first version, then one more at each pointer move.</param>
/// <param name="Length">Size of the binary in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the binary; a read that does not match is refused.</param>
/// <param name="CreatedAt">When the version was written.</param>
public sealed record IndexVersion(string Id, long Sequence, long Length, string Sha256, DateTimeOffset CreatedAt)
{
    /// <summary>The log segment that follows a key's last checkpoint; <see cref="InitialLogSegment"/> before the first.</summary>
    public const string InitialLogSegment = "initial";

    /// <summary>A new version id for a binary created at <paramref name="now"/>.</summary>
    public static string NewId(DateTimeOffset now) =>
        $"{now.UtcTicks:D19}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";

    /// <summary>Creation time encoded in a version id, or null when the id is not one.</summary>
    public static DateTimeOffset? CreatedAtOf(string id) =>
        id.Length > 19 && long.TryParse(id.AsSpan(0, 19), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;
}
