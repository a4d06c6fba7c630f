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
    ];

    private async Task<List<(string Method, string Path)>> OperationsAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Silo.HttpBase };
        var document = JsonNode.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        Assert.StartsWith("3.", (string)document["openapi"]!, StringComparison.Ordinal);
        return [.. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => (op.Key.ToUpperInvariant(), path.Key)))];
    }

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
}
