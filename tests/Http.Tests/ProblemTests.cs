using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace MossGrains.Http.Tests;

/// <summary>Bad input is an RFC 7807 problem naming the field and the limit; a body over the limit is 413.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class ProblemTests(HttpSiloFixture silo)
{
    private const string Session = "/v1/projects/acme/sessions/problems";

    public static TheoryData<string, string, string, string> BadInput => new()
    {
        // path under the session, body, field named, words of the message
        { "/query", """{"query": "x", "top_k": 0}""", "top_k", "between 1 and" },
        { "/query", """{"query": "x", "alpha": 2}""", "alpha", "[0, 1]" },
        { "/query", """{"query": "x", "filter": {"field": "lang", "condition": {"$foo": 1}}}""", "filter", "$foo" },
        { "/query", """{"query": "x", "topK": 3}""", "topK", "topK" },
        { "/query", """{"top_k": 3}""", "query", "query" },
        { "/query", """{"query": null}""", "query", "null" },
        { "/query", """{"query": "x", "top_k": "many"}""", "top_k", "top_k" },
        { "/query", """{"query": """, "query", "open JSON object" },
        { "/docs", """{"docs": [{"id": "", "text": "empty id"}]}""", "docs[0].id", "" },
        { "/docs", """{"docs": [{"id": "a", "text": "b", "metadata": {"k": 1}}]}""", "docs[0].metadata.k", "" },
        { "/docs", "", "body", "no body" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string path, string body, string field, string words)
    {
        var (status, problem, response) = await Api.SendAsync(silo.Client(HttpSiloFixture.AcmeKey), HttpMethod.Post, Session + path, body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {problem?.ToJsonString()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), problem.ToJsonString());
        Assert.Contains(words, (string)errors[field]![0]!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(words, (string)problem["detail"]!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("(Parameter '", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value was", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_and_intervals_outside_the_rules_are_refused_naming_them()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        var badName = await Api.ExpectAsync(http, HttpMethod.Put, "/v1/projects/acme/sessions/-bad", null, HttpStatusCode.BadRequest);
        Assert.True(badName["errors"]!.AsObject().ContainsKey("name"), badName.ToJsonString());

        var interval = await Api.ExpectAsync(http, HttpMethod.Post, "/v1/projects/acme/indexes/faq/load", """{"polling_interval": 5}""", HttpStatusCode.BadRequest);
        Assert.Contains("10 s", (string)interval["errors"]!["polling_interval"]![0]!, StringComparison.Ordinal);

        var job = await Api.ExpectAsync(http, HttpMethod.Get, "/v1/projects/acme/jobs/not-a-job", null, HttpStatusCode.BadRequest);
        Assert.True(job["errors"]!.AsObject().ContainsKey("job_id"), job.ToJsonString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_or_without_a_length()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        string big = $$"""{"docs": [{"id": "big", "text": "{{new string('a', HttpSiloFixture.MaxBodyBytes)}}"}]}""";

        var (status, problem, _) = await Api.SendAsync(http, HttpMethod.Post, Session + "/docs", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains(HttpSiloFixture.MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)problem!["detail"]!, StringComparison.Ordinal);

        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Session + "/docs") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!);

        Assert.Equal(0, (int)(await Api.GetAsync(http, Session + "/doc_count"))["doc_count"]!);
    }

    [Theory]
    [InlineData("GET", "/nothing-here", 404)]
    [InlineData("GET", "/v1/projects/acme/nothing-here", 404)]
    [InlineData("DELETE", "/v1/projects/acme/sessions/problems", 405)]
    [InlineData("PATCH", "/v1/projects/acme/sessions/problems/query", 405)]
    public async Task Routing_refusals_are_problem_documents(string method, string path, int expected)
    {
        var (status, problem, response) = await Api.SendAsync(silo.Client(HttpSiloFixture.AcmeKey), new HttpMethod(method), path);
        Assert.Equal(expected, (int)status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, (int)problem!["status"]!);
    }

    [Fact]
    public async Task A_malformed_chunked_body_is_a_400_problem()
    {
        var answer = await RawHttp.SendAsync(
            silo.Silo.HttpBase,
            "POST",
            Session + "/query",
            new Dictionary<string, string> { ["X-Moss-Key"] = HttpSiloFixture.AcmeKey, ["Transfer-Encoding"] = "chunked", ["Content-Type"] = "application/json" },
            "zz\r\nnot a chunk\r\n");
        Assert.Equal(400, answer.Status);
        Assert.Contains("application/problem+json", answer.Head, StringComparison.Ordinal);
    }
}
