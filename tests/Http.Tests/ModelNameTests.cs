using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MossGrains.Http.Tests;

/// <summary>Callers name models; they never name files: only the catalog's ids and the operator's named models pass.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class ModelNameTests(HttpSiloFixture silo)
{
    /// <summary>Every spelling that once named a folder, a path, or nothing the catalog offers.</summary>
    public static TheoryData<string> RefusedIds()
    {
        string valid = HttpSiloFixture.NamedModelFolder; // a loadable model: refused because it is a path, not because it fails
        return new TheoryData<string>
        {
            "onnx:" + valid,
            "onnx:/etc",
            "onnx:tiny-bert",
            "onnx:models/tiny-bert",
            "onnx:../../../../etc",
            "onnx:..",
            "onnx:",
            "ONNX:" + valid,
            "Onnx:tiny-bert",
            "model2vec:" + valid,
            "model2vec:/etc",
            "model2vec:",
            "MODEL2VEC:/etc",
            valid,
            "/etc/passwd",
            "../etc",
            "tiny-bert",
            "no-such-model",
            "Moss-MiniLM",
            HttpSiloFixture.NamedModel.ToUpperInvariant(),
        };
    }

    [Theory]
    [MemberData(nameof(RefusedIds))]
    public async Task Opening_a_session_with_anything_but_a_model_name_is_400_listing_the_names_and_opens_nothing(string modelId)
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        string name = $"m-{Guid.NewGuid():N}";

        var (status, body, _) = await Api.SendAsync(http, HttpMethod.Put, $"/v1/projects/acme/sessions/{name}", Body(modelId));

        AssertRefused(status, body);
        var sessions = await Api.GetAsync(http, "/v1/projects/acme/sessions?limit=1000");
        Assert.DoesNotContain(sessions["sessions"]!.AsArray(), s => (string)s!["name"]! == name);
    }

    [Theory]
    [MemberData(nameof(RefusedIds))]
    public async Task Submitting_a_job_with_anything_but_a_model_name_is_400_and_starts_no_job(string modelId)
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        string json = $$"""{"docs": [{"id": "a", "text": "alpha"}], "model_id": {{JsonSerializer.Serialize(modelId)}}}""";
        var before = (int)(await Api.GetAsync(http, "/v1/projects/acme/jobs?limit=1000"))["total"]!;

        var (status, body, _) = await Api.SendAsync(http, HttpMethod.Post, $"/v1/projects/acme/indexes/m-{Guid.NewGuid():N}/jobs/add", json);

        AssertRefused(status, body);
        Assert.Equal(before, (int)(await Api.GetAsync(http, "/v1/projects/acme/jobs?limit=1000"))["total"]!);
    }

    [Fact]
    public async Task A_model_the_operator_named_opens_takes_docs_and_answers_queries()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        string session = $"/v1/projects/acme/sessions/named-{Guid.NewGuid():N}";

        var opened = await Api.ExpectAsync(http, HttpMethod.Put, session, Body(HttpSiloFixture.NamedModel));
        Assert.Equal(HttpSiloFixture.NamedModel, (string)opened["model_id"]!);
        Assert.True((int)opened["dimensions"]! > 0);

        await Api.PostAsync(http, session + "/docs", """
            {"docs": [{"id": "ship", "text": "Orders ship from Lyon."}, {"id": "refund", "text": "Refunds take five days."}]}
            """);
        var result = await Api.PostAsync(http, session + "/query", """{"query": "Orders ship from Lyon.", "top_k": 1, "alpha": 1}""");
        Assert.Equal(["ship"], Api.Ids(result));

        // Pushed and loaded as an index, the binary names the model by its name, which the silo resolves again.
        await Api.PostAsync(http, session + "/push", null);
        string index = session.Replace("/sessions/", "/indexes/", StringComparison.Ordinal);
        var loaded = await Api.PostAsync(http, index + "/load", null);
        Assert.Equal(HttpSiloFixture.NamedModel, (string)loaded["model_id"]!);
        Assert.Equal(["ship"], Api.Ids(await Api.PostAsync(http, index + "/query", """{"query": "Orders ship from Lyon.", "top_k": 1, "alpha": 1}""")));
        await Api.ExpectAsync(http, HttpMethod.Post, index + "/unload", null, HttpStatusCode.NoContent);
    }

    private static string Body(string modelId) => $$"""{"model_id": {{JsonSerializer.Serialize(modelId)}}}""";

    private static void AssertRefused(HttpStatusCode status, JsonNode? body)
    {
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {body?.ToJsonString()}");
        var errors = body!["errors"]!["model_id"]!.AsArray();
        string message = (string)errors[0]!;
        foreach (string allowed in new[] { "moss-default", "moss-minilm", "custom", "moss-arctic-xs", HttpSiloFixture.NamedModel })
        {
            Assert.Contains(allowed, message, StringComparison.Ordinal);
        }
    }
}
