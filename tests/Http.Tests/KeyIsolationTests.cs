using System.Net;

namespace MossGrains.Http.Tests;

/// <summary>Every endpoint of project <c>acme</c>: 401 without a key or with nobody's key, 403 with <c>globex</c>'s key, never its data.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class KeyIsolationTests(HttpSiloFixture silo)
{
    private static readonly string Job = Guid.NewGuid().ToString("N");

    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "PUT", "sessions/s1", null },
        { "GET", "sessions/s1", null },
        { "POST", "sessions/s1/docs", """{"docs": [{"id": "a", "text": "b"}]}""" },
        { "GET", "sessions/s1/docs", null },
        { "POST", "sessions/s1/docs/delete", """{"doc_ids": ["a"]}""" },
        { "GET", "sessions/s1/doc_count", null },
        { "POST", "sessions/s1/query", """{"query": "b"}""" },
        { "POST", "sessions/s1/push", null },
        { "POST", "indexes/faq/load", null },
        { "POST", "indexes/faq/unload", null },
        { "GET", "indexes/faq", null },
        { "POST", "indexes/faq/query", """{"query": "b"}""" },
        { "POST", "indexes/query", """{"indexes": ["faq"], "query": "b"}""" },
        { "POST", "indexes/faq/jobs/add", """{"docs": [{"id": "a", "text": "b"}]}""" },
        { "POST", "indexes/faq/jobs/delete", """{"doc_ids": ["a"]}""" },
        { "GET", $"jobs/{Job}", null },
        { "GET", "nodes", null },
        { "GET", "sessions", null },
        { "GET", "indexes", null },
        { "GET", "jobs", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Only_the_projects_own_key_passes(string method, string path, string? body)
    {
        string url = $"/v1/projects/acme/{path}";
        var verb = new HttpMethod(method);

        var (none, problem, response) = await Api.SendAsync(silo.Client(null), verb, url, body);
        Assert.Equal(HttpStatusCode.Unauthorized, none);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(401, (int)problem!["status"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(silo.Client("nobody's key"), verb, url, body)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(silo.Client(HttpSiloFixture.GlobexKey), verb, url, body)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(silo.Client(HttpSiloFixture.GlobexKey, bearer: true), verb, url, body)).Status);

        var (own, _, _) = await Api.SendAsync(silo.Client(HttpSiloFixture.AcmeKey), verb, url, body);
        Assert.NotEqual(HttpStatusCode.Unauthorized, own);
        Assert.NotEqual(HttpStatusCode.Forbidden, own);
    }

    [Fact]
    public async Task A_refused_write_changes_nothing()
    {
        var acme = silo.Client(HttpSiloFixture.AcmeKey);
        await Api.ExpectAsync(acme, HttpMethod.Put, "/v1/projects/acme/sessions/guarded", """{"durability": "ephemeral"}""");
        var refused = await Api.SendAsync(silo.Client(HttpSiloFixture.GlobexKey), HttpMethod.Post, "/v1/projects/acme/sessions/guarded/docs", """{"docs": [{"id": "a", "text": "b"}]}""");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(0, (int)(await Api.GetAsync(acme, "/v1/projects/acme/sessions/guarded/doc_count"))["doc_count"]!);
    }
}
