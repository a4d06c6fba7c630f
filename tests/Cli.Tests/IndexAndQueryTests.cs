using System.Text.Json.Nodes;

namespace MossGrains.Cli.Tests;

/// <summary><c>moss index</c> (a JSON Lines file, a folder), <c>moss load</c> and <c>moss query</c> against a real silo.</summary>
[Collection(CliSiloGroup.Name)]
public sealed class IndexAndQueryTests(CliSiloFixture fixture)
{
    private static readonly string[] FaqLines =
    [
        """{"id": "faq-refund", "text": "Refunds are issued within five business days after the returned item arrives.", "metadata": {"lang": "en", "topic": "billing"}}""",
        """{"id": "faq-shipping", "text": "Orders ship from our warehouse in Lyon by courier.", "metadata": {"lang": "en", "topic": "shipping"}}""",
        """{"_id": "faq-password", "title": "Passwords", "text": "Reset your password from the account settings page.", "metadata": {"lang": "en"}}""",
        """{"id": "faq-hours", "text": "Le support est ouvert du lundi au vendredi.", "metadata": {"lang": "fr"}}""",
    ];

    [Fact]
    public async Task Index_of_a_jsonl_file_runs_one_job_per_batch_and_prints_a_summary_then_query_finds_the_doc()
    {
        string file = WriteFile("faq.jsonl", string.Join('\n', FaqLines) + "\n");

        var indexed = await fixture.RunAsync("index", file, "--name", "faq", "--batch", "2");
        Assert.True(indexed.ExitCode == 0, indexed.ToString());
        Assert.Contains(indexed.Lines, l => l.StartsWith("indexed 4 docs into faq", StringComparison.Ordinal) && l.Contains("(2 jobs)", StringComparison.Ordinal) && l.Contains("doc_count 4", StringComparison.Ordinal));
        Assert.Contains(indexed.Lines, l => l.Contains("indexing faq: 4/4", StringComparison.Ordinal));

        var loaded = await fixture.RunAsync("load", "faq");
        Assert.True(loaded.ExitCode == 0, loaded.ToString());

        var table = await fixture.RunAsync("query", "faq", "how long does a refund take", "--top-k", "2");
        Assert.True(table.ExitCode == 0, table.ToString());
        var rows = table.Lines.Where(l => l.StartsWith('│')).ToList();
        Assert.Equal(3, rows.Count);                                      // header + 2 results
        Assert.Contains("faq-refund", rows[1], StringComparison.Ordinal);
        Assert.Contains("topic=billing", rows[1], StringComparison.Ordinal);

        var json = await fixture.RunAsync("query", "faq", "reset my password", "--json", "--filter", """{"field": "lang", "condition": {"$eq": "en"}}""", "--alpha", "0.5");
        Assert.True(json.ExitCode == 0, json.ToString());
        var answer = JsonNode.Parse(Assert.Single(json.Lines))!;
        var ids = answer["docs"]!.AsArray().Select(d => (string)d!["id"]!).ToList();
        Assert.Equal("faq-password", ids[0]);
        Assert.DoesNotContain("faq-hours", ids);                          // the filter kept lang=en only
        Assert.Equal("Passwords", (string?)answer["docs"]![0]!["metadata"]!["title"]);
    }

    [Fact]
    public async Task Index_of_a_folder_takes_each_txt_and_md_file_as_a_doc_named_by_its_relative_path()
    {
        string folder = Directory.CreateTempSubdirectory("moss-cli-notes-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "guides"));
        await File.WriteAllTextAsync(Path.Combine(folder, "lunch.txt"), "The cafeteria serves lunch at noon every weekday.");
        await File.WriteAllTextAsync(Path.Combine(folder, "guides", "deploy.md"), "# Deploying\n\nRun three silos with Azure Storage clustering to form a cluster.");
        await File.WriteAllTextAsync(Path.Combine(folder, "data.csv"), "not,a,document");

        var indexed = await fixture.RunAsync("index", folder, "--name", "notes");
        Assert.True(indexed.ExitCode == 0, indexed.ToString());
        Assert.Contains(indexed.Lines, l => l.StartsWith("indexed 2 docs into notes", StringComparison.Ordinal) && l.Contains("doc_count 2", StringComparison.Ordinal));

        Assert.Equal(0, (await fixture.RunAsync("load", "notes")).ExitCode);
        var json = await fixture.RunAsync("query", "notes", "how do I deploy a cluster", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var docs = JsonNode.Parse(Assert.Single(json.Lines))!["docs"]!.AsArray();
        Assert.Equal(2, docs.Count);
        Assert.Equal("guides/deploy.md", (string?)docs[0]!["id"]);
    }

    [Fact]
    public async Task A_bad_json_line_is_refused_naming_the_file_and_line_and_nothing_is_sent()
    {
        string file = WriteFile("bad.jsonl", FaqLines[0] + "\n\n" + """{"id": "x", "text": }""" + "\n");

        var run = await fixture.RunAsync("index", file, "--name", "never-built");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Lines, l => l.Contains($"{file}:3", StringComparison.Ordinal) && l.Contains("not valid JSON", StringComparison.Ordinal));

        // Nothing was sent: the index was never published, so it cannot be loaded.
        var load = await fixture.RunAsync("load", "never-built");
        Assert.Equal(5, load.ExitCode);
    }

    [Fact]
    public async Task A_line_without_text_and_a_missing_file_are_refused_by_name()
    {
        string file = WriteFile("notext.jsonl", FaqLines[1] + "\n" + """{"id": "y"}""" + "\n");
        var noText = await fixture.RunAsync("index", file, "--name", "never-built");
        Assert.Equal(2, noText.ExitCode);
        Assert.Contains(noText.Lines, l => l.Contains($"{file}:2: no \"text\"", StringComparison.Ordinal));

        string missing = Path.Combine(Path.GetTempPath(), $"moss-missing-{Guid.NewGuid():N}.jsonl");
        var absent = await fixture.RunAsync("index", missing, "--name", "never-built");
        Assert.Equal(2, absent.ExitCode);
        Assert.Contains(absent.Lines, l => l.Contains(missing, StringComparison.Ordinal) && l.Contains("no such file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_doc_over_the_body_limit_is_refused_before_sending_naming_the_line_and_the_limit()
    {
        string big = new JsonObject { ["id"] = "big", ["text"] = new string('a', CliSiloFixture.MaxBodyBytes) }.ToJsonString();
        string file = WriteFile("big.jsonl", FaqLines[0] + "\n" + big + "\n");
        var run = await fixture.RunAsync("index", file, "--name", "never-built", "--max-body-bytes", CliSiloFixture.MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Lines, l => l.Contains($"{file}:2", StringComparison.Ordinal) && l.Contains("65,536", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Query_of_an_index_that_is_not_loaded_exits_with_not_found_and_the_servers_detail()
    {
        var run = await fixture.RunAsync("query", "not-loaded", "anything");
        Assert.Equal(5, run.ExitCode);
        Assert.Contains(run.Lines, l => l.Contains("404", StringComparison.Ordinal) && l.Contains("not-loaded", StringComparison.Ordinal));
    }

    private static string WriteFile(string name, string text)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("moss-cli-").FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
