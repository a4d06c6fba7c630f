using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MossGrains.Cli.Tests;

/// <summary><c>moss push</c>, <c>moss load</c> settings, <c>moss jobs</c> and <c>moss status</c> against a real silo.</summary>
[Collection(CliSiloGroup.Name)]
public sealed partial class SessionAndCatalogTests(CliSiloFixture fixture)
{
    [Fact]
    public async Task Push_publishes_the_session_and_prints_the_version_the_server_then_reports()
    {
        using var client = fixture.Client();
        string session = $"/v1/projects/{CliSiloFixture.Project}/sessions/call-1";
        (await client.PutAsync(session, null)).EnsureSuccessStatusCode();
        (await client.PostAsync($"{session}/docs", JsonContent.Create(new JsonObject
        {
            ["docs"] = new JsonArray(new JsonObject { ["id"] = "t1", ["text"] = "The caller asked about a refund." }, new JsonObject { ["id"] = "t2", ["text"] = "The agent promised a callback." }),
        }))).EnsureSuccessStatusCode();

        var pushed = await fixture.RunAsync("push", "call-1");
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        string version = VersionRow().Match(Assert.Single(pushed.Lines, l => VersionRow().IsMatch(l))).Groups[1].Value;
        Assert.Contains(pushed.Lines, l => DocCountRow().IsMatch(l));

        var info = JsonNode.Parse(await client.GetStringAsync(session))!;
        Assert.Equal(version, (string?)info["latest_version"]);

        var query = await fixture.RunAsync("query", "call-1", "refund", "--session", "--json");
        Assert.True(query.ExitCode == 0, query.ToString());
        Assert.Equal("t1", (string?)JsonNode.Parse(Assert.Single(query.Lines))!["docs"]![0]!["id"]);
    }

    [Fact]
    public async Task Load_applies_auto_refresh_and_interval()
    {
        await IndexAsync("policies");
        var loaded = await fixture.RunAsync("load", "policies", "--auto-refresh", "--interval", "60");
        Assert.True(loaded.ExitCode == 0, loaded.ToString());

        using var client = fixture.Client();
        var info = JsonNode.Parse(await client.GetStringAsync($"/v1/projects/{CliSiloFixture.Project}/indexes/policies"))!;
        Assert.True((bool)info["auto_refresh"]!);
        Assert.Equal(60, (int)info["polling_interval"]!);

        var bad = await fixture.RunAsync("load", "policies", "--interval", "5");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains(bad.Lines, l => l.Contains("400", StringComparison.Ordinal) && l.Contains("PollingInterval", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Jobs_lists_the_projects_recent_jobs_and_watch_ends_when_none_is_running()
    {
        await IndexAsync("handbook");
        var jobs = await fixture.RunAsync("jobs");
        Assert.True(jobs.ExitCode == 0, jobs.ToString());
        Assert.Contains(jobs.Lines, l => l.Contains("handbook", StringComparison.Ordinal) && l.Contains("completed", StringComparison.Ordinal) && l.Contains("1/1", StringComparison.Ordinal));

        var watch = await fixture.RunAsync("jobs", "--watch");
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Contains(watch.Lines, l => l.Contains("handbook", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_shows_health_the_node_and_the_loaded_index()
    {
        await IndexAsync("status-check");
        Assert.Equal(0, (await fixture.RunAsync("load", "status-check")).ExitCode);

        var status = await fixture.RunAsync("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains(status.Lines, l => l.Contains("health: Healthy", StringComparison.Ordinal));
        Assert.Contains(status.Lines, l => l.Contains($"127.0.0.1:{fixture.Silo.SiloPort}", StringComparison.Ordinal) && l.Contains("active", StringComparison.Ordinal));
        Assert.Contains(status.Lines, l => l.Contains("status-check", StringComparison.Ordinal));
    }

    private async Task IndexAsync(string name)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("moss-cli-").FullName, "one.jsonl");
        await File.WriteAllTextAsync(file, """{"id": "p1", "text": "Employees may work remotely two days a week."}""" + "\n");
        var run = await fixture.RunAsync("index", file, "--name", name);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [GeneratedRegex(@"│ version\s+│ (\S+)\s+│")]
    private static partial Regex VersionRow();

    [GeneratedRegex(@"│ doc_count\s+│ 2\s+│")]
    private static partial Regex DocCountRow();
}
