using System.Text.Json;

namespace MossGrains.Bench.Beir;

/// <summary>A BEIR dataset directory: corpus.jsonl (_id, title, text), queries.jsonl (_id, text), qrels/&lt;split&gt;.tsv.</summary>
internal sealed record BeirDataset(
    IReadOnlyList<BeirDocument> Corpus,
    IReadOnlyDictionary<string, string> Queries,
    IReadOnlyDictionary<string, Dictionary<string, int>> Qrels)
{
    /// <summary>Split whose judgements are evaluated: <c>test</c>, or <c>train</c> via env <c>MOSS_BEIR_SPLIT</c> (used to tune parameters without touching the test queries).</summary>
    public static string Split => Environment.GetEnvironmentVariable("MOSS_BEIR_SPLIT") is { Length: > 0 } split ? split : "test";

    public static BeirDataset Load(string directory)
    {
        var corpus = ReadCorpus(Path.Combine(directory, "corpus.jsonl")).ToList();
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(directory, "queries.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            queries[json.RootElement.GetProperty("_id").GetString()!] = json.RootElement.GetProperty("text").GetString()!;
        }

        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(directory, "qrels", Split + ".tsv")).Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length < 3 || !int.TryParse(parts[2], out int grade))
            {
                continue;
            }

            if (!qrels.TryGetValue(parts[0], out var judged))
            {
                qrels[parts[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            judged[parts[1]] = grade;
        }

        return new BeirDataset(corpus, queries, qrels);
    }

    /// <summary>The documents of a corpus.jsonl file (lines of _id, title, text), read lazily.</summary>
    public static IEnumerable<BeirDocument> ReadCorpus(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            yield return new BeirDocument(
                root.GetProperty("_id").GetString()!,
                root.TryGetProperty("title", out var title) ? title.GetString() ?? string.Empty : string.Empty,
                root.GetProperty("text").GetString() ?? string.Empty);
        }
    }

    /// <summary>The evaluated queries: those with judgements in qrels/&lt;split&gt;.tsv.</summary>
    public IEnumerable<(string Id, string Text)> TestQueries() =>
        Qrels.Keys.Where(Queries.ContainsKey).Order(StringComparer.Ordinal).Select(id => (id, Queries[id]));
}

internal sealed record BeirDocument(string Id, string Title, string Text)
{
    /// <summary>What gets indexed: title + " " + text.</summary>
    public string IndexedText => string.IsNullOrEmpty(Title) ? Text : Title + " " + Text;
}
