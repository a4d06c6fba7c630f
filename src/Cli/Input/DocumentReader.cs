using System.Text.Json;
using System.Text.Json.Nodes;

namespace MossGrains.Cli.Input;

/// <summary>
/// Reads the documents of <c>moss index</c>: a JSON Lines file (one <c>{"id", "text", "metadata"}</c> per line, or BEIR's
/// <c>{"_id", "title", "text"}</c>) or a folder of <c>.txt</c>/<c>.md</c> files (one document per file, id = its path
/// relative to the folder). Everything is read and checked before anything is sent.
/// </summary>
public static class DocumentReader
{
    private static readonly string[] FolderExtensions = [".txt", ".md"];

    public static async Task<IReadOnlyList<InputDocument>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            return await ReadFolderAsync(path, cancellationToken);
        }

        if (!File.Exists(path))
        {
            throw new InputException($"{path}: no such file or folder (give a .jsonl file or a folder of .txt/.md files)");
        }

        return await ReadJsonLinesAsync(path, cancellationToken);
    }

    public static async Task<IReadOnlyList<InputDocument>> ReadJsonLinesAsync(string file, CancellationToken cancellationToken)
    {
        var docs = new List<InputDocument>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        using var reader = new StreamReader(file);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string where = $"{file}:{lineNumber}";
            var doc = ParseLine(line, where);
            string id = (string)doc.Json["id"]!;
            if (seen.TryGetValue(id, out int first))
            {
                throw new InputException($"{where}: id '{id}' repeats the id of line {first}");
            }

            seen[id] = lineNumber;
            docs.Add(doc);
        }

        return docs.Count > 0 ? docs : throw new InputException($"{file}: no documents (expected one JSON object per line)");
    }

    private static InputDocument ParseLine(string line, string where)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InputException($"{where}: not valid JSON: {e.Message}", e);
        }

        if (node is not JsonObject o)
        {
            throw new InputException($"{where}: expected a JSON object like {{\"id\": \"…\", \"text\": \"…\"}}");
        }

        string id = Scalar(o, "id", where) ?? Scalar(o, "_id", where)
            ?? throw new InputException($"{where}: no \"id\" (or BEIR \"_id\")");
        string text = Scalar(o, "text", where) ?? throw new InputException($"{where}: no \"text\"");
        JsonObject? metadata = Metadata(o["metadata"], where);
        if (Scalar(o, "title", where) is { Length: > 0 } title)
        {
            // BEIR: the title is part of what is searched, and kept as metadata.
            text = $"{title} {text}";
            metadata ??= [];
            metadata.TryAdd("title", title);
        }

        return InputDocument.Create(id, text, metadata, where);
    }

    private static string? Scalar(JsonObject o, string field, string where) => o[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        var other => throw new InputException($"{where}: \"{field}\" must be a string, not {other.GetValueKind().ToString().ToLowerInvariant()}"),
    };

    private static JsonObject? Metadata(JsonNode? node, string where)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject o)
        {
            throw new InputException($"{where}: \"metadata\" must be an object of strings");
        }

        var metadata = new JsonObject();
        foreach (var (key, value) in o)
        {
            metadata[key] = value switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
                _ => throw new InputException($"{where}: metadata \"{key}\" must be a string, number or boolean"),
            };
        }

        return metadata;
    }

    private static async Task<IReadOnlyList<InputDocument>> ReadFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => FolderExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InputException($"{folder}: no .txt or .md files");
        }

        var docs = new List<InputDocument>(files.Count);
        foreach (string file in files)
        {
            string id = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            string text = await File.ReadAllTextAsync(file, cancellationToken);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InputException($"{file}: empty file (every document needs text)");
            }

            docs.Add(InputDocument.Create(id, text, new JsonObject { ["path"] = id }, file));
        }

        return docs;
    }
}
