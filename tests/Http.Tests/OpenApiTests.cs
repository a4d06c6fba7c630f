using System.Net;
using System.Text.Json.Nodes;

namespace MossGrains.Http.Tests;

/// <summary>The OpenAPI document the silo serves, checked against the endpoints that really answer.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class OpenApiTests(HttpSiloFixture fixture)
{
    /// <summary>Every endpoint of docs/http.md.</summary>
    private static readonly string[] Expected =
    [
        "PUT /v1/projects/{project}/sessions/{name}",
        "GET /v1/projects/{project}/sessions/{name}",
        "POST /v1/projects/{project}/sessions/{name}/docs",
        "GET /v1/projects/{project}/sessions/{name}/docs",
        "POST /v1/projects/{project}/sessions/{name}/docs/delete",
        "GET /v1/projects/{project}/sessions/{name}/doc_count",
        "POST /v1/projects/{project}/sessions/{name}/query",
        "POST /v1/projects/{project}/sessions/{name}/push",
        "POST /v1/projects/{project}/indexes/query",
        "POST /v1/projects/{project}/indexes/{name}/load",
        "POST /v1/projects/{project}/indexes/{name}/unload",
        "GET /v1/projects/{project}/indexes/{name}",
        "POST /v1/projects/{project}/indexes/{name}/query",
        "POST /v1/projects/{project}/indexes/{name}/jobs/add",
        "POST /v1/projects/{project}/indexes/{name}/jobs/delete",
        "GET /v1/projects/{project}/jobs/{jobId}",
        "GET /v1/projects/{project}/nodes",
        "GET /v1/projects/{project}/sessions",
        "GET /v1/projects/{project}/indexes",
        "GET /v1/projects/{project}/jobs",
        "GET /v1/projects/{project}/limits",
    ];

    /// <summary>Operations with no request body (besides GETs): they act on what the path names.</summary>
    private static readonly string[] NoBody =
    [
        "POST /v1/projects/{project}/sessions/{name}/push",
        "POST /v1/projects/{project}/indexes/{name}/unload",
    ];

    private async Task<JsonNode> DocumentAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Silo.HttpBase };
        var document = JsonNode.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        Assert.StartsWith("3.", (string)document["openapi"]!, StringComparison.Ordinal);
        return document;
    }

    private async Task<List<(string Method, string Path)>> OperationsAsync() =>
        [.. (await DocumentAsync())["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (op.Key.ToUpperInvariant(), path.Key)))];

    [Fact]
    public async Task The_document_lists_exactly_the_endpoints_of_the_api()
    {
        var operations = await OperationsAsync();
        Assert.Equal(Expected.Order(StringComparer.Ordinal), operations.Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_documented_operation_is_served_by_a_real_endpoint()
    {
        var client = fixture.Client(HttpSiloFixture.AcmeKey);
        foreach (var (method, template) in await OperationsAsync())
        {
            string path = template
                .Replace("{project}", "acme", StringComparison.Ordinal)
                .Replace("{name}", $"openapi-{Guid.NewGuid():N}"[..20], StringComparison.Ordinal)
                .Replace("{jobId}", Guid.NewGuid().ToString("N"), StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            // Whatever the endpoint makes of an empty body or an unknown name, a route that exists answers it itself:
            // never 405, and a 404 comes as a problem document, not as the router's empty miss.
            Assert.True(response.StatusCode != HttpStatusCode.MethodNotAllowed, $"{method} {path}: 405");
            Assert.True(
                response.StatusCode != HttpStatusCode.NotFound || response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                $"{method} {path}: a 404 that is not a problem document (no such route)");
        }
    }

    [Fact]
    public async Task Every_operation_declares_its_body_and_its_answers()
    {
        var document = await DocumentAsync();
        var schemas = new OpenApiSchemas(document);
        foreach (var (method, path) in await OperationsAsync())
        {
            string operation = $"{method} {path}";
            var op = document["paths"]![path]![method.ToLowerInvariant()]!;
            if (method is "POST" or "PUT" && !NoBody.Contains(operation))
            {
                var body = op["requestBody"]?["content"]?["application/json"]?["schema"];
                Assert.True(body is not null, $"{operation}: no JSON request body schema");
                Assert.NotEmpty(schemas.Properties(body!).Keys);
            }
            else
            {
                Assert.True(op["requestBody"] is null, $"{operation}: a request body it does not read");
            }

            var responses = op["responses"]!.AsObject();
            var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(success.Count == 1, $"{operation}: {success.Count} success answers");
            var (code, answer) = success[0];
            if (code == "204")
            {
                Assert.Equal("POST /v1/projects/{project}/indexes/{name}/unload", operation);
            }
            else
            {
                Assert.Equal(path.EndsWith("/jobs/add", StringComparison.Ordinal) || path.EndsWith("/jobs/delete", StringComparison.Ordinal) ? "202" : "200", code);
                var schema = answer!["content"]?["application/json"]?["schema"];
                Assert.True(schema is not null, $"{operation}: no JSON answer schema for {code}");
                Assert.NotEmpty(schemas.Properties(schema!).Keys);
            }

            foreach (string problem in new[] { "400", "401", "403", "404" })
            {
                Assert.True(responses[problem]?["content"]?["application/problem+json"] is not null, $"{operation}: no {problem} problem");
            }

            if (op["requestBody"] is not null)
            {
                Assert.True(responses["413"]?["content"]?["application/problem+json"] is not null, $"{operation}: no 413 problem");
            }
        }
    }

    [Fact]
    public async Task Request_schemas_use_the_names_the_api_reads_and_declare_what_is_required()
    {
        var document = await DocumentAsync();
        var schemas = new OpenApiSchemas(document);
        var query = schemas.RequestBody("post", "/v1/projects/{project}/sessions/{name}/query");
        Assert.Equal(["alpha", "embedding", "filter", "query", "top_k"], schemas.Properties(query).Keys.Order(StringComparer.Ordinal));
        Assert.Contains("query", schemas.Required(query));
        Assert.DoesNotContain("top_k", schemas.Required(query));

        var many = schemas.RequestBody("post", "/v1/projects/{project}/indexes/query");
        Assert.Equal(["indexes", "query"], schemas.Required(many).Order(StringComparer.Ordinal));

        var add = schemas.RequestBody("post", "/v1/projects/{project}/sessions/{name}/docs");
        Assert.Contains("docs", schemas.Required(add));
        var doc = schemas.Items(schemas.Properties(add)["docs"]);
        Assert.Equal(["embedding", "id", "metadata", "text"], schemas.Properties(doc).Keys.Order(StringComparer.Ordinal));

        Assert.Equal(["doc_ids"], schemas.Required(schemas.RequestBody("post", "/v1/projects/{project}/sessions/{name}/docs/delete")));
        Assert.Equal(["auto_refresh", "polling_interval", "serve_from_every_silo"],
            schemas.Properties(schemas.RequestBody("post", "/v1/projects/{project}/indexes/{name}/load")).Keys.Order(StringComparer.Ordinal));

        // Enums as the API writes them: snake_case strings.
        var open = schemas.RequestBody("put", "/v1/projects/{project}/sessions/{name}");
        Assert.Equal(["acknowledged", "checkpoint", "ephemeral"], schemas.EnumValues(schemas.Properties(open)["durability"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Real_answers_use_only_the_names_their_schemas_give()
    {
        var schemas = new OpenApiSchemas(await DocumentAsync());
        var http = fixture.Client(HttpSiloFixture.AcmeKey);
        string session = "/v1/projects/acme/sessions/" + $"schema-{Guid.NewGuid():N}"[..24];
        string index = $"schema-{Guid.NewGuid():N}"[..20];

        var checks = new List<(string Method, string Path, JsonNode Answer)>
        {
            ("put", "/v1/projects/{project}/sessions/{name}", await Api.ExpectAsync(http, HttpMethod.Put, session, """{"durability": "ephemeral"}""")),
            ("post", "/v1/projects/{project}/sessions/{name}/docs", await Api.PostAsync(http, session + "/docs",
                """{"docs": [{"id": "a", "text": "Refunds are issued within 5 days.", "metadata": {"lang": "en"}}, {"id": "b", "text": "Orders ship in one day."}]}""")),
        };
        checks.Add(("get", "/v1/projects/{project}/sessions/{name}", await Api.GetAsync(http, session)));
        checks.Add(("post", "/v1/projects/{project}/sessions/{name}/query", await Api.PostAsync(http, session + "/query", """{"query": "refund", "top_k": 2}""")));
        checks.Add(("get", "/v1/projects/{project}/sessions/{name}/docs", await Api.GetAsync(http, session + "/docs?include_embeddings=true")));
        checks.Add(("get", "/v1/projects/{project}/sessions/{name}/doc_count", await Api.GetAsync(http, session + "/doc_count")));
        checks.Add(("post", "/v1/projects/{project}/sessions/{name}/push", await Api.PostAsync(http, session + "/push", null)));
        checks.Add(("post", "/v1/projects/{project}/sessions/{name}/docs/delete", await Api.PostAsync(http, session + "/docs/delete", """{"doc_ids": ["b"]}""")));

        var accepted = await Api.ExpectAsync(http, HttpMethod.Post, $"/v1/projects/acme/indexes/{index}/jobs/add",
            """{"docs": [{"id": "r1", "text": "Refunds are issued within 5 days.", "metadata": {"topic": "refund"}}]}""", HttpStatusCode.Accepted);
        checks.Add(("post", "/v1/projects/{project}/indexes/{name}/jobs/add", accepted));
        var job = await Api.WaitForJobAsync(http, "acme", (string)accepted["job_id"]!);
        Assert.Equal("completed", (string)job["status"]!);
        checks.Add(("get", "/v1/projects/{project}/jobs/{jobId}", job));
        checks.Add(("post", "/v1/projects/{project}/indexes/{name}/load", await Api.PostAsync(http, $"/v1/projects/acme/indexes/{index}/load", """{"auto_refresh": true, "polling_interval": 60}""")));
        checks.Add(("get", "/v1/projects/{project}/indexes/{name}", await Api.GetAsync(http, $"/v1/projects/acme/indexes/{index}")));
        checks.Add(("post", "/v1/projects/{project}/indexes/{name}/query", await Api.PostAsync(http, $"/v1/projects/acme/indexes/{index}/query", """{"query": "refund"}""")));
        checks.Add(("post", "/v1/projects/{project}/indexes/query", await Api.PostAsync(http, "/v1/projects/acme/indexes/query", $$"""{"indexes": ["{{index}}"], "query": "refund"}""")));

        foreach (string catalog in new[] { "nodes", "sessions", "indexes", "jobs", "limits" })
        {
            checks.Add(("get", "/v1/projects/{project}/" + catalog, await Api.GetAsync(http, "/v1/projects/acme/" + catalog)));
        }

        foreach (var (method, path, answer) in checks)
        {
            var schema = schemas.Answer(method, path);
            var names = new List<string>();
            schemas.AssertDescribes(schema, answer, $"{method.ToUpperInvariant()} {path}", names);
            Assert.NotEmpty(names);
        }

        // The answers hold the fields that matter, so the check above was not vacuous.
        var info = checks[0].Answer;
        Assert.Equal("ephemeral", (string)info["durability"]!);
        Assert.NotNull(info["doc_count"]);
        Assert.NotNull(checks.Single(c => c.Path.EndsWith("/query", StringComparison.Ordinal) && c.Path.Contains("sessions", StringComparison.Ordinal)).Answer["time_taken_ms"]);
        Assert.NotNull(job["created_at"]);
    }
}
