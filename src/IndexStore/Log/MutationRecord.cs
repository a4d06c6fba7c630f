using System.Text.Json;
using System.Text.Json.Serialization;
using MossGrains.Engine.Session;

namespace MossGrains.IndexStore.Log;

/// <summary>One acknowledged write as the write-ahead log keeps it (UTF-8 JSON inside a <see cref="LogFraming"/> frame).</summary>
public sealed record MutationRecord
{
    [JsonPropertyName("op")]
    public required string Operation { get; init; }

    [JsonPropertyName("upsert")]
    public bool Upsert { get; init; } = true;

    [JsonPropertyName("docs")]
    public IReadOnlyList<LoggedDocument>? Docs { get; init; }

    [JsonPropertyName("ids")]
    public IReadOnlyList<string>? Ids { get; init; }

    public const string AddOperation = "add";
    public const string DeleteOperation = "delete";

    public static MutationRecord Add(IReadOnlyList<DocumentInfo> docs, bool upsert) => new()
    {
        Operation = AddOperation,
        Upsert = upsert,
        Docs = [.. docs.Select(d => new LoggedDocument(d.Id, d.Text, d.Metadata, d.Embedding))],
    };

    public static MutationRecord Delete(IReadOnlyList<string> ids) => new() { Operation = DeleteOperation, Ids = ids };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static MutationRecord FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<MutationRecord>(bytes) ?? throw new InvalidDataException("Empty write-ahead log record.");

    /// <summary>Applies the write to <paramref name="index"/> exactly as it was first applied.</summary>
    public async Task ApplyAsync(SessionIndex index, CancellationToken cancellationToken)
    {
        switch (Operation)
        {
            case AddOperation:
                await index.AddDocsAsync(
                    [.. (Docs ?? []).Select(d => new DocumentInfo(d.Id, d.Text, d.Metadata, d.Embedding))],
                    new MutationOptions { Upsert = Upsert },
                    cancellationToken);
                break;
            case DeleteOperation:
                await index.DeleteDocsAsync(Ids ?? [], cancellationToken);
                break;
            default:
                throw new InvalidDataException($"Unknown write-ahead log operation '{Operation}'.");
        }
    }
}

/// <summary>A document inside a <see cref="MutationRecord"/>.</summary>
public sealed record LoggedDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string>? Metadata,
#pragma warning disable CA1819 // a plain array is the natural JSON shape for an embedding
    [property: JsonPropertyName("embedding")] float[]? Embedding);
#pragma warning restore CA1819
