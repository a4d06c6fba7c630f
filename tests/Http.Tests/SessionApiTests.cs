using System.Text.Json.Nodes;

namespace MossGrains.Http.Tests;

[Collection(HttpSiloGroup.Name)]
public sealed class SessionApiTests(HttpSiloFixture silo)
{
    private const string Session = "/v1/projects/acme/sessions/call-123";

    private const string Docs = """
        {"docs": [
          {"id": "faq-1", "text": "Refunds are issued within 5 days.", "metadata": {"lang": "en"}},
          {"id": "faq-2", "text": "Orders ship from Lyon.", "metadata": {"lang": "en"}},
          {"id": "faq-3", "text": "Les remboursements prennent 5 jours.", "metadata": {"lang": "fr"}}
        ]}
        """;

    [Theory]
    [InlineData("application/x-www-form-urlencoded")] // what curl -d sends
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task A_body_is_read_as_json_whatever_its_content_type_says(string? contentType)
    {
        string session = $"/v1/projects/acme/sessions/ct-{Guid.NewGuid():N}"[..48];
        var client = silo.Client(HttpSiloFixture.AcmeKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, session + "/docs") { Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Docs)) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(3, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["added"]!);
    }

    [Fact]
    public async Task A_session_opens_takes_docs_answers_queries_and_pushes()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey, bearer: true);

        var opened = await Api.ExpectAsync(http, HttpMethod.Put, Session, """{"durability": "ephemeral"}""");
        Assert.Equal("acme/call-123", (string)opened["key"]!);
        Assert.Equal("ephemeral", (string)opened["durability"]!);

        var added = await Api.PostAsync(http, Session + "/docs", Docs);
        Assert.Equal(3, (int)added["added"]!);
        var replaced = await Api.PostAsync(http, Session + "/docs", """{"docs": [{"id": "faq-2", "text": "Orders ship from Lyon and Turin.", "metadata": {"lang": "en"}}]}""");
        Assert.Equal((0, 1), ((int)replaced["added"]!, (int)replaced["updated"]!));
        Assert.Equal(3, (int)(await Api.GetAsync(http, Session + "/doc_count"))["doc_count"]!);

        var keyword = await Api.PostAsync(http, Session + "/query", """{"query": "ship Lyon", "top_k": 1, "alpha": 0}""");
        Assert.Equal(["faq-2"], Api.Ids(keyword));
        Assert.Equal("ship Lyon", (string)keyword["query"]!);
        Assert.NotNull(keyword["time_taken_ms"]);
        var filtered = await Api.PostAsync(http, Session + "/query", """{"query": "refund", "top_k": 5, "filter": {"field": "lang", "condition": {"$eq": "fr"}}}""");
        Assert.Equal(["faq-3"], Api.Ids(filtered));
        Assert.Equal("fr", (string)filtered["docs"]![0]!["metadata"]!["lang"]!);

        var some = await Api.GetAsync(http, Session + "/docs?id=faq-3&id=faq-1&id=missing");
        Assert.Equal(["faq-3", "faq-1"], Api.Ids(some));
        Assert.Equal(3, (await Api.GetAsync(http, Session + "/docs"))["docs"]!.AsArray().Count);

        var deleted = await Api.PostAsync(http, Session + "/docs/delete", """{"doc_ids": ["faq-1", "missing"]}""");
        Assert.Equal(1, (int)deleted["deleted"]!);

        var pushed = await Api.PostAsync(http, Session + "/push", null);
        Assert.Equal(2, (int)pushed["doc_count"]!);
        Assert.False(string.IsNullOrEmpty((string?)pushed["version"]));
        var info = await Api.GetAsync(http, Session);
        Assert.Equal((string)pushed["version"]!, (string)info["latest_version"]!);
        Assert.Equal(2, (int)info["doc_count"]!);
    }

    [Fact]
    public async Task Sessions_of_two_projects_with_one_name_are_two_sessions()
    {
        var acme = silo.Client(HttpSiloFixture.AcmeKey);
        var globex = silo.Client(HttpSiloFixture.GlobexKey);
        await Api.PostAsync(acme, "/v1/projects/acme/sessions/shared-name/docs", Docs);

        Assert.Equal(3, (int)(await Api.GetAsync(acme, "/v1/projects/acme/sessions/shared-name/doc_count"))["doc_count"]!);
        Assert.Equal(0, (int)(await Api.GetAsync(globex, "/v1/projects/globex/sessions/shared-name/doc_count"))["doc_count"]!);
        var docs = await Api.GetAsync(globex, "/v1/projects/globex/sessions/shared-name/docs");
        Assert.Equal(new JsonArray().ToJsonString(), docs["docs"]!.ToJsonString());
    }
}
