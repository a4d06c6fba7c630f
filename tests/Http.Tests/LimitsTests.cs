using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MossGrains.Client.Cluster;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;
using Orleans.Runtime;

namespace MossGrains.Http.Tests;

/// <summary>
/// One single-node silo process with small quotas (<c>Moss:Limits:Default</c>) and a larger override for project
/// <see cref="Big"/>, called over HTTP and, where a test needs what HTTP cannot do (hold a job open, deactivate every
/// session), through an Orleans client on its gateway. Each test uses projects of its own.
/// </summary>
public sealed class LimitsSiloFixture : IAsyncLifetime
{
    public const int MaxSessions = 2, MaxDocsPerSession = 3, MaxIndexBytes = 20_000, MaxConcurrentJobs = 1;
    public const string Big = "big";
    public const int BigMaxSessions = 4, BigMaxDocsPerSession = 10;

    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartLocalhostAsync("limits", new Dictionary<string, string>
        {
            ["Moss:Limits:Default:MaxSessions"] = Invariant(MaxSessions),
            ["Moss:Limits:Default:MaxDocsPerSession"] = Invariant(MaxDocsPerSession),
            ["Moss:Limits:Default:MaxIndexBytes"] = Invariant(MaxIndexBytes),
            ["Moss:Limits:Default:MaxConcurrentJobs"] = Invariant(MaxConcurrentJobs),
            ["Moss:Limits:RetryAfter"] = "00:00:07",
            [$"Moss:Limits:Projects:{Big}:MaxSessions"] = Invariant(BigMaxSessions),
            [$"Moss:Limits:Projects:{Big}:MaxDocsPerSession"] = Invariant(BigMaxDocsPerSession),
        });
        Http = new HttpClient { BaseAddress = Silo.HttpBase, Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>An Orleans client on the silo's gateway.</summary>
    public Task<OrleansClientHost> OrleansAsync()
    {
        var options = new MossClusterClientOptions();
        options.Gateways.Add(Silo.Gateway);
        return OrleansClientHost.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

public sealed class LimitsTests(LimitsSiloFixture fixture) : IClassFixture<LimitsSiloFixture>
{
    private HttpClient Http => fixture.Http;

    private static string NewProject(string what) => $"{what}-{Guid.NewGuid():N}"[..24];

    /// <summary>A document of the <c>custom</c> model (caller embeddings, 4 dimensions) with <paramref name="textLength"/> characters of text.</summary>
    private static string Doc(string id, int textLength = 20) =>
        $$"""{"id": "{{id}}", "text": "{{new string('x', Math.Max(0, textLength - 8))}} refunds", "embedding": [1, 0.5, 0.25, {{id.Length}}]}""";

    private static string Docs(params string[] docs) => $$"""{"docs": [{{string.Join(", ", docs)}}]}""";

    private Task<JsonNode> OpenAsync(string project, string name) =>
        Api.ExpectAsync(Http, HttpMethod.Put, $"/v1/projects/{project}/sessions/{name}", """{"model_id": "custom", "durability": "ephemeral"}""");

    private Task<JsonNode> LimitsAsync(string project) => Api.GetAsync(Http, $"/v1/projects/{project}/limits");

    /// <summary>Requires a problem document for <paramref name="quota"/> with <paramref name="status"/>, naming the limit, the usage and this project's setting.</summary>
    private static JsonNode AssertRefused((HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response) answer, HttpStatusCode status, string project, string quota, string setting, long limit, long usage)
    {
        var (code, problem, response) = answer;
        Assert.True(code == status, $"{(int)code} {problem?.ToJsonString()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(quota, (string)problem!["quota"]!);
        Assert.Equal(limit, (long)problem["limit"]!);
        Assert.Equal(usage, (long)problem["usage"]!);
        string expectedSetting = $"Moss:Limits:Projects:{project}:{setting}";
        Assert.Equal(expectedSetting, (string)problem["setting"]!);
        string detail = (string)problem["detail"]!;
        Assert.Contains(expectedSetting, detail, StringComparison.Ordinal);
        Assert.Contains($"limit {limit:N0}", detail, StringComparison.Ordinal);
        if (status == HttpStatusCode.TooManyRequests)
        {
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        }
        else
        {
            Assert.Null(response.Headers.RetryAfter);
        }

        return problem;
    }

    [Fact]
    public async Task Sessions_past_the_limit_are_429_until_sessions_deactivate_and_other_projects_are_unaffected()
    {
        string project = NewProject("sess"), other = NewProject("other");
        await OpenAsync(project, "s1");
        await OpenAsync(project, "s2");
        Assert.Equal(2, (long)(await LimitsAsync(project))["sessions"]!["usage"]!);

        var refused = await Api.SendAsync(Http, HttpMethod.Put, $"/v1/projects/{project}/sessions/s3", """{"model_id": "custom"}""");
        AssertRefused(refused, HttpStatusCode.TooManyRequests, project, "sessions", "MaxSessions", LimitsSiloFixture.MaxSessions, 2);
        // Any call that would bring a third session into memory is refused the same way, and the refused one holds no slot.
        AssertRefused(await Api.SendAsync(Http, HttpMethod.Get, $"/v1/projects/{project}/sessions/s3/doc_count"),
            HttpStatusCode.TooManyRequests, project, "sessions", "MaxSessions", LimitsSiloFixture.MaxSessions, 2);
        var limits = await LimitsAsync(project);
        Assert.Equal((2L, 2L), ((long)limits["sessions"]!["limit"]!, (long)limits["sessions"]!["usage"]!));
        Assert.Equal(["s1", "s2"], Names(await Api.GetAsync(Http, $"/v1/projects/{project}/sessions")));

        // Sessions already in memory still answer; another project has slots of its own.
        Assert.Equal(0, (int)(await Api.GetAsync(Http, $"/v1/projects/{project}/sessions/s1/doc_count"))["doc_count"]!);
        await OpenAsync(other, "s1");
        await OpenAsync(other, "s2");
        Assert.Equal(2, (long)(await LimitsAsync(other))["sessions"]!["usage"]!);

        // Every idle activation (sessions and the limits grains themselves) deactivates: the slots are free again.
        await using (var orleans = await fixture.OrleansAsync())
        {
            await orleans.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        }

        Assert.Equal(0, (long)(await LimitsAsync(project))["sessions"]!["usage"]!);
        await OpenAsync(project, "s3");
        await OpenAsync(project, "s4");
        Assert.Equal(2, (long)(await LimitsAsync(project))["sessions"]!["usage"]!);
    }

    [Fact]
    public async Task A_project_override_beats_the_default()
    {
        string project = LimitsSiloFixture.Big;
        for (int i = 0; i < LimitsSiloFixture.BigMaxSessions; i++)
        {
            await OpenAsync(project, $"o{i}");
        }

        var limits = await LimitsAsync(project);
        Assert.Equal(LimitsSiloFixture.BigMaxSessions, (long)limits["sessions"]!["limit"]!);
        Assert.Equal(LimitsSiloFixture.BigMaxDocsPerSession, (long)limits["docs_per_session"]!["limit"]!);
        Assert.Equal(LimitsSiloFixture.MaxConcurrentJobs, (long)limits["concurrent_jobs"]!["limit"]!); // not overridden: the default
        Assert.Equal($"Moss:Limits:Projects:{project}:MaxSessions", (string)limits["sessions"]!["setting"]!);
        AssertRefused(await Api.SendAsync(Http, HttpMethod.Put, $"/v1/projects/{project}/sessions/one-more", null),
            HttpStatusCode.TooManyRequests, project, "sessions", "MaxSessions", LimitsSiloFixture.BigMaxSessions, LimitsSiloFixture.BigMaxSessions);

        // Past the default's 3 documents per session, up to the override's 10.
        await Api.PostAsync(Http, $"/v1/projects/{project}/sessions/o0/docs", Docs([.. Enumerable.Range(0, 10).Select(i => Doc($"d{i}"))]));
        AssertRefused(await Api.SendAsync(Http, HttpMethod.Post, $"/v1/projects/{project}/sessions/o0/docs", Docs(Doc("d10"))),
            HttpStatusCode.Forbidden, project, "docs_per_session", "MaxDocsPerSession", LimitsSiloFixture.BigMaxDocsPerSession, 10);
        Assert.Equal(10, (long)(await LimitsAsync(project))["docs_per_session"]!["usage"]!);
    }

    [Fact]
    public async Task A_batch_past_the_docs_limit_is_403_and_adds_none_of_its_docs_while_upserts_of_held_ids_do_not_count()
    {
        string project = NewProject("docs");
        string session = $"/v1/projects/{project}/sessions/notes";
        await OpenAsync(project, "notes");
        await Api.PostAsync(Http, session + "/docs", Docs(Doc("a"), Doc("b")));

        var refused = await Api.SendAsync(Http, HttpMethod.Post, session + "/docs", Docs(Doc("a"), Doc("c"), Doc("d")));
        var problem = AssertRefused(refused, HttpStatusCode.Forbidden, project, "docs_per_session", "MaxDocsPerSession", LimitsSiloFixture.MaxDocsPerSession, 2);
        Assert.Contains("adds 2 new ids", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], Api.Ids(await Api.GetAsync(Http, session + "/docs")).Order(StringComparer.Ordinal));

        // An upsert of a held id replaces it: a, b held, a and c sent = 3 documents, at the limit, not past it.
        var added = await Api.PostAsync(Http, session + "/docs", Docs(Doc("a", 40), Doc("c")));
        Assert.Equal((1, 1), ((int)added["added"]!, (int)added["updated"]!));
        var limits = await LimitsAsync(project);
        Assert.Equal(3, (long)limits["docs_per_session"]!["usage"]!);
        Assert.Equal("notes", (string)limits["docs_per_session"]!["of"]!);

        AssertRefused(await Api.SendAsync(Http, HttpMethod.Post, session + "/docs", Docs(Doc("e"))),
            HttpStatusCode.Forbidden, project, "docs_per_session", "MaxDocsPerSession", LimitsSiloFixture.MaxDocsPerSession, 3);
        await Api.PostAsync(Http, session + "/docs/delete", """{"doc_ids": ["b"]}""");
        await Api.PostAsync(Http, session + "/docs", Docs(Doc("e")));
        Assert.Equal(["a", "c", "e"], Api.Ids(await Api.GetAsync(Http, session + "/docs")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_job_whose_binary_would_pass_the_bytes_limit_fails_and_publishes_nothing()
    {
        string project = NewProject("bytes");
        string jobs = $"/v1/projects/{project}/indexes/faq/jobs/add";
        var first = await SubmitAsync(project, jobs, $$"""{"model_id": "custom", "docs": [{{Doc("small")}}]}""");
        Assert.Equal("completed", (string)first["status"]!);

        var big = await SubmitAsync(project, jobs, Docs([.. Enumerable.Range(0, 3).Select(i => Doc($"big{i}", 8_000))]));
        Assert.Equal("failed", (string)big["status"]!);
        string error = (string)big["error"]!;
        Assert.Contains("index_bytes", error, StringComparison.Ordinal);
        Assert.Contains($"Moss:Limits:Projects:{project}:MaxIndexBytes", error, StringComparison.Ordinal);
        Assert.Contains($"limit {LimitsSiloFixture.MaxIndexBytes:N0}", error, StringComparison.Ordinal);

        var index = await Api.PostAsync(Http, $"/v1/projects/{project}/indexes/faq/load", """{"auto_refresh": false}""");
        Assert.Equal((1, (long)first["sequence"]!), ((int)index["doc_count"]!, (long)index["sequence"]!));
        var limits = await LimitsAsync(project);
        long published = (long)limits["index_bytes"]!["usage"]!;
        Assert.InRange(published, 1, LimitsSiloFixture.MaxIndexBytes);
        Assert.Equal("faq", (string)limits["index_bytes"]!["of"]!);
    }

    [Fact]
    public async Task A_session_published_past_the_bytes_limit_takes_no_more_docs_and_no_add_job()
    {
        string project = NewProject("sbytes");
        string session = $"/v1/projects/{project}/sessions/log";
        await OpenAsync(project, "log");
        await Api.PostAsync(Http, session + "/docs", Docs([.. Enumerable.Range(0, 3).Select(i => Doc($"l{i}", 8_000))]));
        // A session's own publish is never refused (it may carry acknowledged writes); what it published is measured.
        long bytes = (long)(await Api.PostAsync(Http, session + "/push", null))["bytes"]!;
        Assert.True(bytes > LimitsSiloFixture.MaxIndexBytes, $"the push wrote {bytes} bytes");
        Assert.Equal(bytes, (long)(await LimitsAsync(project))["index_bytes"]!["usage"]!);

        await Api.PostAsync(Http, session + "/docs/delete", """{"doc_ids": ["l0"]}""");
        AssertRefused(await Api.SendAsync(Http, HttpMethod.Post, session + "/docs", Docs(Doc("tiny"))),
            HttpStatusCode.Forbidden, project, "index_bytes", "MaxIndexBytes", LimitsSiloFixture.MaxIndexBytes, bytes);
        AssertRefused(await Api.SendAsync(Http, HttpMethod.Post, $"/v1/projects/{project}/indexes/log/jobs/add", Docs(Doc("tiny"))),
            HttpStatusCode.Forbidden, project, "index_bytes", "MaxIndexBytes", LimitsSiloFixture.MaxIndexBytes, bytes);
        Assert.Equal(2, (int)(await Api.GetAsync(Http, session + "/doc_count"))["doc_count"]!);
        Assert.Equal(0, (long)(await LimitsAsync(project))["concurrent_jobs"]!["usage"]!);
    }

    [Fact]
    public async Task A_job_past_the_concurrent_jobs_limit_is_429_for_http_and_orleans_callers_until_the_held_job_finishes()
    {
        string project = NewProject("jobs"), other = NewProject("jobs-other");
        string key = IndexKey.For(project, "catalog");
        await using var orleans = await fixture.OrleansAsync();
        // Held open through the Orleans client: started, nothing uploaded yet.
        var held = orleans.Client.GetGrain<IJobGrain>(Guid.NewGuid().ToString("N"));
        await held.StartAsync(new JobSpec(key, JobKind.AddDocs, 1, "custom"));
        Assert.Equal(1, (long)(await LimitsAsync(project))["concurrent_jobs"]!["usage"]!);

        AssertRefused(await Api.SendAsync(Http, HttpMethod.Post, $"/v1/projects/{project}/indexes/catalog/jobs/add", Docs(Doc("a"))),
            HttpStatusCode.TooManyRequests, project, "concurrent_jobs", "MaxConcurrentJobs", LimitsSiloFixture.MaxConcurrentJobs, 1);
        var error = await Assert.ThrowsAsync<Grains.Limits.QuotaExceededException>(() =>
            orleans.Client.GetGrain<IJobGrain>(Guid.NewGuid().ToString("N")).StartAsync(new JobSpec(key, JobKind.DeleteDocs, 1)));
        Assert.Equal((Grains.Limits.Quota.ConcurrentJobs, 1L, 1L, TimeSpan.FromSeconds(7)), (error.Quota, error.Limit, error.Usage, error.RetryAfter));
        Assert.Equal(1, (long)(await LimitsAsync(project))["concurrent_jobs"]!["usage"]!); // the refused jobs hold nothing

        // Another project is not held up.
        Assert.Equal("completed", (string)(await SubmitAsync(other, $"/v1/projects/{other}/indexes/catalog/jobs/add", $$"""{"model_id": "custom", "docs": [{{Doc("a")}}]}"""))["status"]!);

        await held.UploadAsync(new JobUpload([new DocumentRecord("h", "held job", Embedding: [1, 2, 3, 4])]));
        await held.SubmitAsync();
        Assert.Equal("completed", (string)(await Api.WaitForJobAsync(Http, project, held.GetPrimaryKeyString()))["status"]!);
        var next = await SubmitAsync(project, $"/v1/projects/{project}/indexes/catalog/jobs/add", Docs(Doc("a")));
        Assert.Equal(("completed", 2), ((string)next["status"]!, (int)next["doc_count"]!));
        Assert.Equal(0, (long)(await LimitsAsync(project))["concurrent_jobs"]!["usage"]!);
    }

    private async Task<JsonNode> SubmitAsync(string project, string path, string body)
    {
        var accepted = await Api.ExpectAsync(Http, HttpMethod.Post, path, body, HttpStatusCode.Accepted);
        return await Api.WaitForJobAsync(Http, project, (string)accepted["job_id"]!);
    }

    private static string[] Names(JsonNode sessions) => [.. sessions["sessions"]!.AsArray().Select(s => (string)s!["name"]!).Order(StringComparer.Ordinal)];
}
