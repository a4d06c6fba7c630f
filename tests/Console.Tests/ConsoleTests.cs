using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MossGrains.Console.Tests;

/// <summary>The web console in chromium against a real keyed silo: one test per view, each ending with a screenshot.</summary>
[Collection(ConsoleSiloGroup.Name)]
public sealed partial class ConsoleTests(ConsoleSiloFixture silo, ITestOutputHelper output)
{
    private const string Project = ConsoleSiloFixture.Project;

    [Fact]
    public async Task Nodes_view_shows_the_silo_active()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(silo.Silo, "#nodes", nameof(Nodes_view_shows_the_silo_active), output);
        await browser.UseAsync(Project, ConsoleSiloFixture.AcmeKey);

        var row = browser.Page.Locator("#nodes-rows tr").Filter(new() { HasText = $"127.0.0.1:{silo.Silo.SiloPort}" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(ConsoleBrowser.Cell(row, "status")).ToHaveTextAsync("active");
        await Expect(ConsoleBrowser.Cell(row, "activations")).ToHaveTextAsync(Number());
        await Expect(ConsoleBrowser.Cell(row, "started_at")).ToHaveTextAsync(UtcTime());
        await Expect(browser.Page.GetByRole(AriaRole.Link, new() { Name = "Nodes" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(browser.Page.Locator("#indexes")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Indexes_view_shows_a_loaded_index_with_its_docs_model_version_and_next_check()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(silo.Silo, "#indexes", nameof(Indexes_view_shows_a_loaded_index_with_its_docs_model_version_and_next_check), output);
        await browser.UseAsync(Project, ConsoleSiloFixture.AcmeKey);

        var row = browser.Row("indexes", ConsoleSiloFixture.Index);
        await Expect(ConsoleBrowser.Cell(row, "doc_count")).ToHaveTextAsync("3");
        await Expect(ConsoleBrowser.Cell(row, "model_id")).ToHaveTextAsync((string)silo.IndexInfo["model_id"]!);
        await Expect(ConsoleBrowser.Cell(row, "version")).ToHaveTextAsync((string)silo.CompletedJob["version"]!);
        await Expect(ConsoleBrowser.Cell(row, "next_check")).ToHaveTextAsync(UtcTime());
        await Expect(ConsoleBrowser.Cell(row, "auto_refresh")).ToHaveTextAsync("every 60 s");
        await Expect(ConsoleBrowser.Cell(row, "last_refresh_error")).ToHaveTextAsync("—");
    }

    [Fact]
    public async Task Sessions_view_shows_a_session_with_its_docs_durability_and_model()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(silo.Silo, "#sessions", nameof(Sessions_view_shows_a_session_with_its_docs_durability_and_model), output);
        await browser.UseAsync(Project, ConsoleSiloFixture.AcmeKey);

        var row = browser.Row("sessions", ConsoleSiloFixture.Session);
        await Expect(ConsoleBrowser.Cell(row, "doc_count")).ToHaveTextAsync("2");
        await Expect(ConsoleBrowser.Cell(row, "durability")).ToHaveTextAsync("acknowledged");
        await Expect(ConsoleBrowser.Cell(row, "model_id")).ToHaveTextAsync((string)silo.SessionInfo["model_id"]!);
    }

    [Fact]
    public async Task Jobs_view_shows_completed_and_failed_jobs_and_refreshes_itself()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(silo.Silo, "#jobs", nameof(Jobs_view_shows_completed_and_failed_jobs_and_refreshes_itself), output);
        await browser.UseAsync(Project, ConsoleSiloFixture.AcmeKey);

        var completed = browser.Row("jobs", (string)silo.CompletedJob["job_id"]!);
        await Expect(ConsoleBrowser.Cell(completed, "status")).ToHaveTextAsync("completed");
        int total = (int)silo.CompletedJob["total"]!;
        Assert.True(total > 0, $"the completed job reports total {total}");
        await Expect(ConsoleBrowser.Cell(completed, "progress")).ToHaveTextAsync($"{silo.CompletedJob["processed"]} / {total}");
        await Expect(completed.Locator("progress")).ToHaveAttributeAsync("max", total.ToString(CultureInfo.InvariantCulture));

        var failed = browser.Row("jobs", (string)silo.FailedJob["job_id"]!);
        await Expect(ConsoleBrowser.Cell(failed, "status")).ToHaveTextAsync("failed");
        string error = (string)silo.FailedJob["error"]!;
        Assert.False(string.IsNullOrEmpty(error));
        await Expect(ConsoleBrowser.Cell(failed, "error")).ToHaveTextAsync(error);

        // A job submitted while the page is open appears without a reload (the list refreshes every 2 s).
        var later = await silo.RunJobAsync("/indexes/later/jobs/add", """{"docs": [{"id": "l1", "text": "Submitted while the console was open."}]}""");
        await Expect(ConsoleBrowser.Cell(browser.Row("jobs", (string)later["job_id"]!), "status")).ToHaveTextAsync("completed");
    }

    [Fact]
    public async Task Query_view_ranks_results_with_scores_and_metadata_and_shows_a_bad_filter()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(silo.Silo, "#query", nameof(Query_view_ranks_results_with_scores_and_metadata_and_shows_a_bad_filter), output);
        await browser.UseAsync(Project, ConsoleSiloFixture.AcmeKey);
        var page = browser.Page;

        var target = page.GetByLabel("Index or session");
        await Expect(target.Locator($"option[value='indexes/{ConsoleSiloFixture.Index}']")).ToHaveCountAsync(1);
        await Expect(target.Locator($"option[value='sessions/{ConsoleSiloFixture.Session}']")).ToHaveCountAsync(1);
        await target.SelectOptionAsync($"indexes/{ConsoleSiloFixture.Index}");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Query", Exact = true }).FillAsync("express shipping costs");
        await page.GetByLabel("top_k").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        var rows = page.Locator("#query-rows tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(ConsoleBrowser.Cell(rows.First, "id")).ToHaveTextAsync("s2");
        await Expect(ConsoleBrowser.Cell(rows.First, "rank")).ToHaveTextAsync("1");
        await Expect(ConsoleBrowser.Cell(rows.First, "metadata")).ToContainTextAsync("topic = shipping");
        await Expect(ConsoleBrowser.Cell(rows.First, "metadata")).ToContainTextAsync("lang = en");
        var scores = (await page.Locator("#query-rows td[data-field='score']").AllTextContentsAsync())
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.True(scores[0] > scores[^1], $"scores {string.Join(", ", scores)}");

        await page.GetByLabel("Filter (JSON, optional)").FillAsync("""{"field": "topic", "condition": {"$foo": "x"}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var problem = page.Locator("#query-problem");
        await Expect(problem).ToContainTextAsync("400 Invalid filter");
        await Expect(problem).ToContainTextAsync("$foo");
        await Expect(page.Locator("#query-results")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Dashboard_link_opens_the_Orleans_dashboard_with_the_operator_key()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(silo.Silo, "", nameof(Dashboard_link_opens_the_Orleans_dashboard_with_the_operator_key), output, ConsoleSiloFixture.OperatorKey);
        await browser.Page.GetByRole(AriaRole.Link, new() { Name = "Orleans Dashboard" }).ClickAsync();

        await Expect(browser.Page).ToHaveURLAsync(new Uri(silo.Silo.HttpBase, "/dashboard/").ToString());
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Orleans Dashboard", Level = 1 })).ToBeVisibleAsync();
        // The count comes from the dashboard's own data calls: the page did not just load, it reached the silo.
        await Expect(browser.Page.Locator("body")).ToContainTextAsync(ActiveSilos());
    }

    [Fact]
    public async Task A_missing_or_wrong_key_asks_for_the_key_and_another_projects_key_is_refused()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(silo.Silo, "#nodes", nameof(A_missing_or_wrong_key_asks_for_the_key_and_another_projects_key_is_refused), output);
        var auth = browser.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "key" });

        var rows = browser.Page.Locator("#nodes-rows tr");

        // With no key yet the page asks for one.
        await Expect(auth).ToContainTextAsync("401");
        await browser.UseAsync(Project, ConsoleSiloFixture.AcmeKey);
        await Expect(browser.Page.Locator("#auth")).ToBeHiddenAsync();
        await Expect(rows).ToHaveCountAsync(1);

        await browser.UseAsync(Project, ConsoleSiloFixture.GlobexKey);
        await Expect(auth).ToContainTextAsync("403");
        await Expect(auth).ToContainTextAsync("another project");
        await Expect(rows).ToHaveCountAsync(0);

        await browser.UseAsync(Project, "not-the-key");
        await Expect(auth).ToContainTextAsync("401");
        await Expect(auth).ToContainTextAsync("Enter the project's key");
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(browser.Page.GetByLabel("Key", new() { Exact = true })).ToHaveValueAsync("not-the-key");
    }

    private static Regex Number() => NumberPattern();

    private static Regex ActiveSilos() => ActiveSilosPattern();

    private static Regex UtcTime() => UtcTimePattern();

    [GeneratedRegex(@"Active Silos\s*1(?!\d)")]
    private static partial Regex ActiveSilosPattern();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$")]
    private static partial Regex UtcTimePattern();
}
