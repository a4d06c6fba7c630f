using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MossGrains.Client;
using MossGrains.Silo.Http;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace MossGrains.Http.Tests;

/// <summary>Retried writes with an <c>Idempotency-Key</c> are done once; every transient cluster failure is a 503 with <c>Retry-After</c>.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class IdempotencyAndFailoverProblemTests(HttpSiloFixture silo)
{
    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(HttpClient http, string path, string json, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Api.Json(json) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task A_retried_session_write_or_job_submission_with_the_same_key_is_done_once_and_another_body_is_422()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        string session = $"/v1/projects/acme/sessions/idem-{Guid.NewGuid():N}"[..50];
        const string Docs = """{"docs": [{"id": "a", "text": "refunds take five days"}, {"id": "b", "text": "orders ship from Lyon"}]}""";

        var first = await PostAsync(http, session + "/docs", Docs, "k-add");
        var retry = await PostAsync(http, session + "/docs", Docs, "k-add");
        Assert.Equal((HttpStatusCode.OK, 2, 0), (first.Status, (int)first.Body["added"]!, (int)first.Body["updated"]!));
        Assert.Equal(first.Body.ToJsonString(), retry.Body.ToJsonString()); // without the key the retry says "updated": 2
        var other = await PostAsync(http, session + "/docs", """{"docs": [{"id": "c", "text": "another body"}]}""", "k-add");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Contains("Idempotency-Key", (string)other.Body["detail"]!, StringComparison.Ordinal);
        Assert.Equal(2, (int)(await Api.GetAsync(http, session + "/doc_count"))["doc_count"]!);

        var push = await PostAsync(http, session + "/push", "", "k-push");
        var pushedAgain = await PostAsync(http, session + "/push", "", "k-push");
        Assert.Equal((string)push.Body["version"]!, (string)pushedAgain.Body["version"]!);
        Assert.Equal(1, (long)push.Body["sequence"]!);

        var deleted = await PostAsync(http, session + "/docs/delete", """{"doc_ids": ["a"]}""", "k-delete");
        Assert.Equal(deleted.Body.ToJsonString(), (await PostAsync(http, session + "/docs/delete", """{"doc_ids": ["a"]}""", "k-delete")).Body.ToJsonString());
        Assert.Equal(1, (int)deleted.Body["deleted"]!);

        string jobs = $"/v1/projects/acme/indexes/idem-{Guid.NewGuid():N}"[..44] + "/jobs/add";
        var job = await PostAsync(http, jobs, Docs, "k-job");
        var jobAgain = await PostAsync(http, jobs, Docs, "k-job");
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (job.Status, jobAgain.Status));
        Assert.Equal((string)job.Body["job_id"]!, (string)jobAgain.Body["job_id"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(http, jobs, """{"docs": [{"id": "z", "text": "other"}]}""", "k-job")).Status);
        var done = await Api.WaitForJobAsync(http, "acme", (string)job.Body["job_id"]!);
        Assert.Equal(2, (int)done["doc_count"]!);
    }

    [Fact]
    public async Task An_idempotency_key_outside_the_rules_is_a_400_naming_the_header()
    {
        var (status, body) = await PostAsync(silo.Client(HttpSiloFixture.AcmeKey), "/v1/projects/acme/sessions/idem-bad/docs", """{"docs": [{"id": "a", "text": "x"}]}""", new string('k', 300));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body["errors"]!.AsObject().ContainsKey("Idempotency-Key"), body.ToJsonString());
    }

    public static TheoryData<Exception> Transient => new()
    {
        new SiloUnavailableException("The target silo became unavailable"),
        new TimeoutException("Response did not arrive on time"),
        new ConnectionFailedException("Unable to connect"),
        new GatewayTooBusyException(),
        new LimitExceededException("too many requests"),
        new InconsistentStateException("etag mismatch"),
        new OrleansException("Current directory is not stable. Retry later."),
        new MossUnavailableException("The cluster did not answer through a failover", new SiloUnavailableException()),
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public async Task Every_transient_cluster_failure_is_a_503_with_Retry_After(Exception failure)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        var problem = ProblemMapping.For(failure);

        Assert.NotNull(problem);
        await problem.ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
        Assert.Contains(failure.Message, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), StringComparison.Ordinal);
    }
}
