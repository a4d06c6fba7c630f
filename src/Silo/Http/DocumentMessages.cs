using MossGrains.Engine.Session;

namespace MossGrains.Silo.Http;

/// <summary>A document in a request: <c>id</c>, <c>text</c>, optional <c>metadata</c> (string → string) and <c>embedding</c> (custom-vector indexes).</summary>
public sealed class DocumentBody
{
    public string Id { get; init; } = null!;

    public string Text { get; init; } = null!;

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public IReadOnlyList<float>? Embedding { get; init; }

    public DocumentInfo ToEngine() => new(Id, Text, Metadata, Embedding is null ? null : [.. Embedding]);

    public static IReadOnlyList<DocumentInfo> ToEngine(IReadOnlyList<DocumentBody?> docs) =>
        [.. docs.Select((d, i) => d?.ToEngine() ?? throw ProblemMapping.InvalidField($"docs[{i}]", "Documents must not be null."))];
}

/// <summary><c>{"docs": [...], "upsert": true}</c>: documents to add to a session or, with <c>model_id</c>, to an index by a job.</summary>
public sealed class AddDocsBody
{
    public required IReadOnlyList<DocumentBody?> Docs { get; init; }

    /// <summary>Replace documents whose id exists (default) or refuse the batch.</summary>
    public bool Upsert { get; init; } = true;

    /// <summary>Jobs only: the model of the index when the job creates it.</summary>
    public string? ModelId { get; init; }
}

/// <summary><c>{"doc_ids": [...]}</c>.</summary>
public sealed class DocIdsBody
{
    public required IReadOnlyList<string> DocIds { get; init; }
}

public sealed record AddDocsAnswer(int Added, int Updated);

public sealed record DeleteDocsAnswer(int Deleted);

public sealed record DocCountAnswer(int DocCount);

public sealed record DocsAnswer(IReadOnlyList<DocumentInfo> Docs);
