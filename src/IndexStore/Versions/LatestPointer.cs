using System.Text.Json;
using System.Text.Json.Serialization;

namespace MossGrains.IndexStore.Versions;

/// <summary>
/// What a key's "latest" pointer holds: the version it names (null before the key's first push) and the owner epoch, the
/// number of the session copy that last took ownership (<see cref="IIndexStore.ClaimOwnershipAsync"/>; 0 when none ever
/// did). Stored as the version's JSON fields plus <c>owner</c>, so pointers written before owners existed read as owner 0.
/// </summary>
public sealed record LatestPointer(IndexVersion? Version, long Owner)
{
    public static LatestPointer None { get; } = new(null, 0);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new Stored(Version?.Id, Version?.Sequence, Version?.Length, Version?.Sha256, Version?.CreatedAt, Owner == 0 ? null : Owner), Json);

    public static LatestPointer FromJson(ReadOnlySpan<byte> json, string key)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json, Json) ?? throw new InvalidDataException($"The latest pointer of '{key}' is empty.");
        var version = stored.Id is null
            ? null
            : new IndexVersion(
                stored.Id,
                stored.Sequence ?? throw new InvalidDataException($"The latest pointer of '{key}' has no sequence."),
                stored.Length ?? throw new InvalidDataException($"The latest pointer of '{key}' has no length."),
                stored.Sha256 ?? throw new InvalidDataException($"The latest pointer of '{key}' has no sha256."),
                stored.CreatedAt ?? throw new InvalidDataException($"The latest pointer of '{key}' has no createdAt."));
        return new LatestPointer(version, stored.Owner ?? 0);
    }

    private sealed record Stored(string? Id, long? Sequence, long? Length, string? Sha256, DateTimeOffset? CreatedAt, long? Owner);
}
