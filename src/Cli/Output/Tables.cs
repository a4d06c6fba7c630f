using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace MossGrains.Cli.Output;

/// <summary>Tables of API answers on standard output.</summary>
public static class Tables
{
    private const int SnippetLength = 80;

    /// <summary>Ranked query results: rank, score, id, a snippet of the text, metadata (and the index for a multi-index answer).</summary>
    public static void QueryResult(JsonNode result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var docs = result["docs"]?.AsArray() ?? [];
        bool multi = docs.Any(d => d?["index_name"] is not null);
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("rank").RightAligned()).AddColumn(new TableColumn("score").RightAligned());
        if (multi)
        {
            table.AddColumn("index");
        }

        table.AddColumn("id").AddColumn("text").AddColumn("metadata");
        int rank = 0;
        foreach (var doc in docs)
        {
            rank++;
            var cells = new List<string> { rank.ToString(CultureInfo.InvariantCulture), ((double?)doc?["score"] ?? 0).ToString("F4", CultureInfo.InvariantCulture) };
            if (multi)
            {
                cells.Add(Text(doc?["index_name"]));
            }

            cells.Add(Text(doc?["id"]));
            cells.Add(Snippet(Text(doc?["text"])));
            cells.Add(Metadata(doc?["metadata"]));
            table.AddRow([.. cells.Select(c => new Text(c))]);
        }

        Terminal.Out.Write(table);
        Terminal.Line($"{docs.Count} result{(docs.Count == 1 ? "" : "s")} in {(double?)result["time_taken_ms"] ?? 0:0.##} ms");
    }

    /// <summary>An object as a two-column table of its fields (nested values as JSON).</summary>
    public static void Fields(JsonNode node, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        if (title is not null)
        {
            table.Title(title);
        }

        foreach (var (field, value) in node.AsObject())
        {
            table.AddRow(new Text(field), new Text(Cell(value)));
        }

        Terminal.Out.Write(table);
    }

    /// <summary>Rows of objects with the given columns (missing fields blank).</summary>
    public static void Rows(string title, IEnumerable<JsonNode?> rows, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        Terminal.Out.Write(Build(title, rows, columns));
    }

    public static Table Build(string title, IEnumerable<JsonNode?> rows, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        foreach (string column in columns)
        {
            table.AddColumn(column);
        }

        foreach (var row in rows)
        {
            table.AddRow([.. columns.Select(c => new Text(Cell(row?[c])))]);
        }

        return table;
    }

    public static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>A cell: like <see cref="Text"/>, but an ISO 8601 time shortened to the second, in UTC.</summary>
    public static string Cell(JsonNode? node)
    {
        string text = Text(node);
        return text.Length >= 20 && text[10] == 'T' &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;
    }

    private static string Snippet(string text)
    {
        string flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= SnippetLength ? flat : string.Concat(flat.AsSpan(0, SnippetLength - 1), "…");
    }

    private static string Metadata(JsonNode? metadata) =>
        metadata is JsonObject o ? string.Join(", ", o.Select(kv => $"{kv.Key}={Snippet(Text(kv.Value))}")) : string.Empty;
}
