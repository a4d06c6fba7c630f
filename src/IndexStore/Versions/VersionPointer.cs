using System.Security.Cryptography;

namespace MossGrains.IndexStore.Versions;

/// <summary>The checks and pruning rules every store shares (the pointer's JSON form is <see cref="LatestPointer"/>).</summary>
public static class VersionPointer
{
    public static string Sha256Of(ReadOnlySpan<byte> binary) => Convert.ToHexStringLower(SHA256.HashData(binary));

    /// <summary>
    /// Reads a stored version of <paramref name="length"/> bytes from <paramref name="source"/> into one array, hashing it
    /// as it arrives, and refuses it unless it is exactly the version the pointer names (length and SHA-256).
    /// </summary>
    public static async Task<byte[]> ReadVerifiedAsync(Stream source, long length, string key, IndexVersion version, CancellationToken cancellationToken)
    {
        if (length != version.Length)
        {
            throw new Engine.Persistence.IndexFormatException(
                $"Stored version {version.Id} of '{key}' is {length} bytes; the pointer records {version.Length}. The binary is truncated or replaced; refusing it.");
        }

        var bytes = new byte[length];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int offset = 0; offset < bytes.Length;)
        {
            int read = await source.ReadAsync(bytes.AsMemory(offset, Math.Min(1 << 20, bytes.Length - offset)), cancellationToken);
            if (read == 0)
            {
                throw new Engine.Persistence.IndexFormatException($"Stored version {version.Id} of '{key}' ended after {offset} of {length} bytes; refusing it.");
            }

            hash.AppendData(bytes, offset, read);
            offset += read;
        }

        if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), version.Sha256, StringComparison.Ordinal))
        {
            throw new Engine.Persistence.IndexFormatException(
                $"Stored version {version.Id} of '{key}' does not match its SHA-256 {version.Sha256}; the binary is corrupt. Refusing it.");
        }

        return bytes;
    }

    /// <summary>
    /// Version ids to delete: all but the newest <paramref name="keep"/> besides <paramref name="latestId"/>, never the
    /// latest, and never one younger than <paramref name="grace"/> (a publisher may still be moving the pointer to it).
    /// </summary>
    public static IEnumerable<string> Prunable(IEnumerable<string> ids, string latestId, int keep, DateTimeOffset now, TimeSpan grace) =>
        ids.Where(id => id != latestId)
            .OrderByDescending(id => id, StringComparer.Ordinal)
            .Skip(Math.Max(0, keep))
            .Where(id => IndexVersion.CreatedAtOf(id) is { } created && now - created > grace);
}
