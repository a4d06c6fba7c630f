using System.Text.Json;
using System.Text.Json.Nodes;
using MossGrains.Cli.Input;
using MossGrains.Grains.Naming;

namespace MossGrains.Cli.Serving;

/// <summary>A BEIR-shaped folder (<c>corpus.jsonl</c>, optionally <c>queries.jsonl</c>) served as a sample index.</summary>
public sealed record SampleCorpus(string Folder, string CorpusFile, string IndexName)
{
    public static SampleCorpus From(string folder)
    {
        string full = Path.GetFullPath(folder);
        string corpus = Path.Combine(full, "corpus.jsonl");
        if (!File.Exists(corpus))
        {
            throw new InputException($"{corpus}: no such file (--sample takes a folder holding a BEIR corpus.jsonl)");
        }

        return new SampleCorpus(full, corpus, IndexNameOf(Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar))));
    }

    /// <summary>A query to show: the first of <c>queries.jsonl</c> if there is one, else the first words of the first document.</summary>
    public string ExampleQuery()
    {
        string queries = Path.Combine(Folder, "queries.jsonl");
        if (File.Exists(queries) && FirstText(queries) is { Length: > 0 } query)
        {
            return query;
        }

        string first = FirstText(CorpusFile) ?? "search";
        return string.Join(' ', first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(6));
    }

    private static string? FirstText(string jsonLines)
    {
        if (File.ReadLines(jsonLines).FirstOrDefault(l => l.Trim().Length > 0) is not { } line)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(line)?["text"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The folder's name as an index name: letters, digits, '.', '_' and '-', at most <see cref="IndexKey.MaxNameLength"/>, starting with a letter or digit.</summary>
    private static string IndexNameOf(string folderName)
    {
        string name = new([.. folderName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]);
        name = name.TrimStart('.', '_', '-');
        name = name.Length > IndexKey.MaxNameLength ? name[..IndexKey.MaxNameLength] : name;
        return name.Length > 0 ? name : "sample";
    }
}
