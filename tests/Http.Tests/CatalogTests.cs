using System.Net;
using System.Text.Json.Nodes;

namespace MossGrains.Http.Tests;

/// <summary>The catalog (<c>nodes</c>, <c>sessions</c>, <c>indexes</c>, <c>jobs</c>): what is active, a project's own only.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class CatalogTests(HttpSiloFixture silo)
{
    private HttpClient Acme => silo.Client(HttpSiloFixture.AcmeKey);

    private HttpClient Globex => silo.Client(HttpSiloFixture.GlobexKey);

    [Fact]
    public async Task Nodes_lists_the_silo_that_answers_as_active()
    {
        var answer = await Api.GetAsync(Acme, "/v1/projects/acme/nodes");
        var node = Assert.Single(answer["nodes"]!.AsArray())!;
        Assert.Equal("active", (string)node["status"]!);
        Assert.True((bool)node["current"]!);
        Assert.Equal((string)answer["silo"]!, (string)node["address"]!);
        Assert.True((int)node["activations"]! > 0);
        Assert.True(DateTimeOffset.UtcNow - (DateTimeOffset)node["started_at"]! < TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Sessions_lists_a_projects_open_sessions_with_their_info_and_never_anothers()
    {
        string name = $"cat-{Guid.NewGuid():N}"[..16];
        await Api.ExpectAsync(Acme, HttpMethod.Put, $"/v1/projects/acme/sessions/{name}", """{"durability": "ephemeral"}""");
        await Api.PostAsync(Acme, $"/v1/projects/acme/sessions/{name}/docs", """{"docs": [{"id": "a", "text": "alpha"}, {"id": "b", "text": "beta"}]}""");

        var entry = Find(await Api.GetAsync(Acme, "/v1/projects/acme/sessions"), "sessions", name);
        Assert.Equal("acme", (string)entry["project"]!);
        Assert.Equal(2, (int)entry["doc_count"]!);
        Assert.Equal("ephemeral", (string)entry["durability"]!);
        Assert.False(string.IsNullOrEmpty((string?)entry["model_id"]));

        var theirs = await Api.GetAsync(Globex, "/v1/projects/globex/sessions");
        Assert.DoesNotContain(theirs["sessions"]!.AsArray(), s => (string)s!["name"]! == name);
    }

    [Fact]
    public async Task Indexes_and_jobs_list_a_loaded_index_and_the_job_that_built_it()
    {
        string name = $"cat-{Guid.NewGuid():N}"[..16];
        var accepted = await Api.ExpectAsync(Acme, HttpMethod.Post, $"/v1/projects/acme/indexes/{name}/jobs/add",
            """{"docs": [{"id": "a", "text": "alpha"}, {"id": "b", "text": "beta"}, {"id": "c", "text": "gamma"}]}""", HttpStatusCode.Accepted);
        string jobId = (string)accepted["job_id"]!;
        await Api.WaitForJobAsync(Acme, "acme", jobId);
        await Api.PostAsync(Acme, $"/v1/projects/acme/indexes/{name}/load", """{"polling_interval": 60}""");

        var index = Find(await Api.GetAsync(Acme, "/v1/projects/acme/indexes"), "indexes", name);
        Assert.Equal(3, (int)index["doc_count"]!);
        Assert.Equal(60, (double)index["polling_interval"]!);
        Assert.NotNull(index["next_check"]);

        var jobs = (await Api.GetAsync(Acme, "/v1/projects/acme/jobs?limit=1000"))["jobs"]!.AsArray();
        var job = Assert.Single(jobs, j => (string)j!["job_id"]! == jobId)!;
        Assert.Equal("completed", (string)job["status"]!);
        Assert.Equal(3, (int)job["processed"]!);
        var created = jobs.Select(j => (DateTimeOffset)j!["created_at"]!).ToList();
        Assert.Equal(created.OrderDescending(), created);

        Assert.DoesNotContain((await Api.GetAsync(Globex, "/v1/projects/globex/indexes"))["indexes"]!.AsArray(), i => (string)i!["name"]! == name);
        Assert.DoesNotContain((await Api.GetAsync(Globex, "/v1/projects/globex/jobs"))["jobs"]!.AsArray(), j => (string)j!["job_id"]! == jobId);

        await Api.ExpectAsync(Acme, HttpMethod.Post, $"/v1/projects/acme/indexes/{name}/unload", null, HttpStatusCode.NoContent);
        Assert.DoesNotContain((await Api.GetAsync(Acme, "/v1/projects/acme/indexes"))["indexes"]!.AsArray(), i => (string)i!["name"]! == name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_limit_out_of_range_is_refused_naming_it(int limit)
    {
        var (status, problem, _) = await Api.SendAsync(Acme, HttpMethod.Get, $"/v1/projects/acme/sessions?limit={limit}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("limit", (string)problem!["detail"]!, StringComparison.Ordinal);
        Assert.Contains("1000", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    private static JsonNode Find(JsonNode answer, string list, string name)
    {
        Assert.True((int)answer["total"]! >= 1);
        return Assert.Single(answer[list]!.AsArray(), e => (string)e!["name"]! == name)!;
    }
}
