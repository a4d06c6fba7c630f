using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using MossGrains.Engine.Session;

namespace MossGrains.IndexStore.Log;

/// <summary>
/// One acknowledged write as the write-ahead log keeps it (UTF-8 JSON inside a <see cref="LogFraming"/> frame).
/// Format 2 (<c>"v": 2</c>) stores every document's vector as the index computed it (<see cref="LoggedDocument.Vector"/>),
/// so replay never calls the model. Format 1 records (no <c>v</c>; vectors only where the caller supplied them) still
/// replay, embedding what they lack.
/// </summary>
public sealed record MutationRecord
{
    /// <summary>The format records are written in.</summary>
    public const int CurrentFormat = 2;

    [JsonPropertyName("v")]
    public int Format { get; init; } = 1;

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

    /// <summary>An add of the caller's documents (format 1): replay embeds them, and checks caller vectors like any write (job input).</summary>
    public static MutationRecord Add(IReadOnlyList<DocumentInfo> docs, bool upsert) => new()
    {
        Operation = AddOperation,
        Upsert = upsert,
        Docs = [.. docs.Select(d => new LoggedDocument(d.Id, d.Text, d.Metadata, d.Embedding))],
    };

    /// <summary>
    /// An add of <paramref name="docs"/> as the index stored them (format 2), each with its vector in
    /// <see cref="DocumentInfo.Embedding"/> (null only where the index has none, a keyword-only custom index): replay
    /// applies those vectors and never calls the model.
    /// </summary>
    public static MutationRecord AddStored(IReadOnlyList<DocumentInfo> docs, bool upsert) => new()
    {
        Format = CurrentFormat,
        Operation = AddOperation,
        Upsert = upsert,
        Docs = [.. docs.Select(d => new LoggedDocument(d.Id, d.Text, d.Metadata, null) { Vector = d.Embedding is { } v ? Encode(v) : null })],
    };

    public static MutationRecord Delete(IReadOnlyList<string> ids) => new() { Format = CurrentFormat, Operation = DeleteOperation, Ids = ids };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static MutationRecord FromBytes(byte[] bytes)
    {
        var record = JsonSerializer.Deserialize<MutationRecord>(bytes) ?? throw new InvalidDataException("Empty write-ahead log record.");
        return record.Format is >= 1 and <= CurrentFormat
            ? record
            : throw new InvalidDataException($"Write-ahead log record format {record.Format} is newer than this build reads ({CurrentFormat}).");
    }

    /// <summary>This write with <see cref="Upsert"/> on: re-applied on top of a version that may already hold its documents.</summary>
    public MutationRecord AsUpsert() => this with { Upsert = true };

    /// <summary>Applies the write to <paramref name="index"/> exactly as it was first applied (format 2: with the logged vectors, no embedding).</summary>
    public async Task ApplyAsync(SessionIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        switch (Operation)
        {
            case AddOperation when Format >= 2:
                await index.ReplayDocsAsync(
                    [.. (Docs ?? []).Select(d => new DocumentInfo(d.Id, d.Text, d.Metadata, d.Vector is { } v ? Decode(v) : null))],
                    new MutationOptions { Upsert = Upsert },
                    cancellationToken);
                break;
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

    /// <summary>
    /// Applies <paramref name="records"/> in order with the same result as one by one, but runs consecutive format-2 adds
    /// of distinct ids (and the same upsert flag) as one engine batch of at most <paramref name="maxBatch"/> documents:
    /// a replay of a thousand single-document writes builds a few snapshots instead of a thousand.
    /// </summary>
    public static async Task ApplyAllAsync(IEnumerable<MutationRecord> records, SessionIndex index, int maxBatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(index);
        var batch = new List<DocumentInfo>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        bool upsert = true;
        foreach (var record in records)
        {
            var added = record is { Operation: AddOperation, Format: >= 2, Docs: { Count: > 0 } docs } ? docs : null;
            if (batch.Count > 0 && (added is null || record.Upsert != upsert || batch.Count + added.Count > maxBatch || added.Any(d => ids.Contains(d.Id))))
            {
                await FlushAsync();
            }

            if (added is not null && added.Count <= maxBatch)
            {
                upsert = record.Upsert;
                batch.AddRange(added.Select(d => new DocumentInfo(d.Id, d.Text, d.Metadata, d.Vector is { } v ? Decode(v) : null)));
                ids.UnionWith(added.Select(d => d.Id));
                continue;
            }

            await record.ApplyAsync(index, cancellationToken);
        }

        await FlushAsync();

        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                await index.ReplayDocsAsync([.. batch], new MutationOptions { Upsert = upsert }, cancellationToken);
                batch.Clear();
                ids.Clear();
            }
        }
    }

    // Little-endian float32 bytes in base64: a third of the JSON number form, and exact.
    private static string Encode(float[] vector) => Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan()));

    private static float[] Decode(string vector)
    {
        byte[] bytes = Convert.FromBase64String(vector);
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"A logged vector is {bytes.Length} bytes, not a whole number of float32 values.");
        }

        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}

/// <summary>
/// A document inside a <see cref="MutationRecord"/>: <see cref="Vector"/> (format 2) is the vector the index stored,
/// base64 of little-endian float32; <see cref="Embedding"/> (format 1) a vector the caller supplied.
/// </summary>
public sealed record LoggedDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string>? Metadata,
#pragma warning disable CA1819 // a plain array is the natural JSON shape for an embedding
    [property: JsonPropertyName("embedding"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Embedding)
#pragma warning restore CA1819
{
    [JsonPropertyName("vector")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Vector { get; init; }
}
