using System.Net;

namespace MossGrains.Http.Tests;

[Collection(HttpSiloGroup.Name)]
public sealed class IndexApiTests(HttpSiloFixture silo)
{
    private const string Project = "/v1/projects/acme";

    [Fact]
    public async Task Jobs_build_indexes_that_load_answer_queries_and_refresh()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        var (status, accepted, response) = await Api.SendAsync(http, HttpMethod.Post, Project + "/indexes/handbook/jobs/add", """
            {"docs": [
              {"id": "r1", "text": "Refunds are issued within 5 days of the return.", "metadata": {"topic": "refund"}},
              {"id": "s1", "text": "Orders ship from Lyon within one day.", "metadata": {"topic": "shipping"}},
              {"id": "s2", "text": "Express shipping costs 9 euros.", "metadata": {"topic": "shipping"}}
            ]}
            """);
        Assert.Equal(HttpStatusCode.Accepted, status);
        string job = (string)accepted!["job_id"]!;
        Assert.Equal($"{Project}/jobs/{job}", response.Headers.Location?.ToString());
        var done = await Api.WaitForJobAsync(http, "acme", job);
        Assert.Equal("completed", (string)done["status"]!);
        Assert.Equal(("handbook", "add_docs", 3), ((string)done["index"]!, (string)done["kind"]!, (int)done["doc_count"]!));

        string policies = (string)(await Api.ExpectAsync(http, HttpMethod.Post, Project + "/indexes/policies/jobs/add",
            """{"docs": [{"id": "p1", "text": "A refund needs the original receipt."}]}""", HttpStatusCode.Accepted))["job_id"]!;
        Assert.Equal("completed", (string)(await Api.WaitForJobAsync(http, "acme", policies))["status"]!);

        var loaded = await Api.PostAsync(http, Project + "/indexes/handbook/load", """{"auto_refresh": true, "polling_interval": 60, "serve_from_every_silo": true}""");
        Assert.Equal((3, 60.0, true), ((int)loaded["doc_count"]!, (double)loaded["polling_interval"]!, (bool)loaded["serve_from_every_silo"]!));
        await Api.PostAsync(http, Project + "/indexes/policies/load", null);
        var info = await Api.GetAsync(http, Project + "/indexes/handbook");
        Assert.Equal((string)done["version"]!, (string)info["version"]!);
        Assert.Equal(("acme", "handbook"), ((string)info["project"]!, (string)info["name"]!));

        var hits = await Api.PostAsync(http, Project + "/indexes/handbook/query", """{"query": "shipping", "top_k": 2, "alpha": 0, "filter": {"field": "topic", "condition": {"$eq": "shipping"}}}""");
        Assert.Equal(2, Api.Ids(hits).Length);
        Assert.All(Api.Ids(hits), id => Assert.StartsWith("s", id, StringComparison.Ordinal));

        var merged = await Api.PostAsync(http, Project + "/indexes/query", """{"indexes": ["handbook", "policies"], "query": "refund receipt", "top_k": 4, "alpha": 0}""");
        var fromIndexes = merged["docs"]!.AsArray().Select(d => (string)d!["index_name"]!).ToHashSet();
        Assert.Equal(["handbook", "policies"], fromIndexes.Order());
        Assert.NotNull(merged["versions"]!["policies"]);

        string delete = (string)(await Api.ExpectAsync(http, HttpMethod.Post, Project + "/indexes/handbook/jobs/delete", """{"doc_ids": ["s2"]}""", HttpStatusCode.Accepted))["job_id"]!;
        var deleted = await Api.WaitForJobAsync(http, "acme", delete);
        Assert.Equal(("completed", 2), ((string)deleted["status"]!, (int)deleted["doc_count"]!));
        var refreshed = await Api.PostAsync(http, Project + "/indexes/handbook/load", null);
        Assert.Equal(2, (int)refreshed["doc_count"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(http, HttpMethod.Post, Project + "/indexes/policies/unload")).Status);
    }

    [Fact]
    public async Task Unknown_indexes_and_jobs_are_404_problems()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Post, Project + "/indexes/never-published/load", (string?)null),
            (HttpMethod.Get, Project + "/indexes/never-loaded", null),
            (HttpMethod.Post, Project + "/indexes/never-loaded/query", """{"query": "x"}"""),
            (HttpMethod.Get, Project + $"/jobs/{Guid.NewGuid():N}", null),
        })
        {
            var (status, problem, response) = await Api.SendAsync(http, method, path, body);
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {path}: {(int)status} {problem?.ToJsonString()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(404, (int)problem!["status"]!);
        }
    }

    [Fact]
    public async Task A_job_is_invisible_from_another_project()
    {
        var acme = silo.Client(HttpSiloFixture.AcmeKey);
        string job = (string)(await Api.ExpectAsync(acme, HttpMethod.Post, Project + "/indexes/private/jobs/add",
            """{"docs": [{"id": "x", "text": "acme only"}]}""", HttpStatusCode.Accepted))["job_id"]!;

        var globex = silo.Client(HttpSiloFixture.GlobexKey);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(globex, HttpMethod.Get, $"/v1/projects/globex/jobs/{job}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(globex, HttpMethod.Get, $"/v1/projects/acme/jobs/{job}")).Status);
        await Api.WaitForJobAsync(acme, "acme", job);
    }
}
