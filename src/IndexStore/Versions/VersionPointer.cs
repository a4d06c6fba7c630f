using System.Security.Cryptography;
using System.Text.Json;

namespace MossGrains.IndexStore.Versions;

/// <summary>The "latest" pointer's JSON form, and the checks and pruning rules every store shares.</summary>
public static class VersionPointer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize(IndexVersion version) => JsonSerializer.SerializeToUtf8Bytes(version, Json);

    public static IndexVersion Deserialize(ReadOnlySpan<byte> json, string key) =>
        JsonSerializer.Deserialize<IndexVersion>(json, Json) ?? throw new InvalidDataException($"The latest pointer of '{key}' is empty.");

    public static string Sha256Of(ReadOnlySpan<byte> binary) => Convert.ToHexStringLower(SHA256.HashData(binary));

    /// <summary>Refuses bytes that are not exactly the version the pointer names.</summary>
    public static void Verify(string key, IndexVersion version, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != version.Length)
        {
            throw new Engine.Persistence.IndexFormatException(
                $"Stored version {version.Id} of '{key}' is {bytes.Length} bytes; the pointer records {version.Length}. The binary is truncated or replaced; refusing it.");
        }

        if (!string.Equals(Sha256Of(bytes), version.Sha256, StringComparison.Ordinal))
        {
            throw new Engine.Persistence.IndexFormatException(
                $"Stored version {version.Id} of '{key}' does not match its SHA-256 {version.Sha256}; the binary is corrupt. Refusing it.");
        }
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
