using System.Net;
using System.Net.Http.Headers;
using MossGrains.Client;
using MossGrains.Client.Cluster;
using MossGrains.Client.Indexes;
using MossGrains.Client.Jobs;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Session;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Security;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;

namespace MossGrains.Cluster.Tests;

/// <summary>
/// A real silo process with keys for projects <c>a</c> and <c>b</c>, and external .NET clients bound to a project (or not):
/// the silo's incoming call filter lets a client reach its own project's sessions, indexes and jobs and nothing else,
/// while the silo's own HTTP API and grain-to-grain calls (jobs publishing, replicas following their index) keep working.
/// </summary>
public sealed class ProjectBoundClientTests(KeyedSiloFixture fixture) : IClassFixture<KeyedSiloFixture>, IAsyncLifetime
{
    private const string KeyA = KeyedSiloFixture.KeyA, KeyB = KeyedSiloFixture.KeyB;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly DocumentInfo[] Docs = [new("d1", "refunds are paid within ten days"), new("d2", "shipping takes two weeks")];
    private readonly List<IAsyncDisposable> _clients = [];

    private SiloProcess Silo => fixture.Silo;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private MossClusterClientOptions Options(string? project, string? key)
    {
        var options = new MossClusterClientOptions { Project = project, Key = key, ResponseTimeout = TimeSpan.FromSeconds(20) };
        options.Gateways.Add(Silo.Gateway);
        return options;
    }

    private async Task<IMossClient> ConnectAsync(string? project, string? key)
    {
        var client = await MossClient.ConnectAsync(Options(project, key));
        _clients.Add(client);
        return client;
    }

    private async Task<IClusterClient> OrleansClientAsync(string? project, string? key)
    {
        var host = await OrleansClientHost.StartAsync(Options(project, key));
        _clients.Add(host);
        return host.Client;
    }

    private static async Task<string> CompletedJobAsync(IMossClient client, string index, string project)
    {
        string job = await client.AddDocsAsync(index, Docs, new MutationJobOptions { Project = project });
        using var timeout = new CancellationTokenSource(Patience);
        var status = await client.WaitForJobAsync(job, timeout.Token);
        Assert.True(status.State == JobState.Completed, $"job {job}: {JobStatusNames.Of(status.State)} {status.Error}");
        return job;
    }

    private static async Task<ProjectAccessDeniedException> RefusedAsync(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<ProjectAccessDeniedException>(call);
        Assert.Contains("project", refused.Message, StringComparison.Ordinal);
        return refused;
    }

    [Fact]
    public async Task A_client_bound_to_project_a_does_everything_on_a_and_nothing_on_b()
    {
        var clientA = await ConnectAsync("a", KeyA);
        var clientB = await ConnectAsync("b", KeyB);

        // Project b's own client builds its session, pushes it, and publishes and loads an index through a job.
        var sessionB = await clientB.SessionAsync("s", new SessionOptions { Project = "b" });
        await sessionB.AddDocsAsync(Docs);
        await sessionB.PushIndexAsync();
        string jobB = await CompletedJobAsync(clientB, "ib", "b");
        Assert.Equal(2, (await clientB.LoadIndexAsync("ib", new LoadIndexOptions { Project = "b", ServeFromEverySilo = true })).DocCount);

        // Project a's client does the same on a: session, query, read, push, job, load (replicated), query the index.
        var sessionA = await clientA.SessionAsync("s", new SessionOptions { Project = "a" });
        await sessionA.AddDocsAsync(Docs);
        Assert.Equal("d1", (await sessionA.QueryAsync("refund", new QueryOptions { TopK = 1 })).Docs[0].Id);
        Assert.Equal(2, (await sessionA.GetDocsAsync()).Count);
        await sessionA.PushIndexAsync();
        string jobA = await CompletedJobAsync(clientA, "ia", "a");
        Assert.Equal(JobState.Completed, (await clientA.GetJobStatusAsync(jobA)).State);
        Assert.Equal(2, (await clientA.LoadIndexAsync("ia", new LoadIndexOptions { Project = "a", ServeFromEverySilo = true })).DocCount);
        Assert.Equal("d1", (await clientA.QueryIndexAsync("ia", "refund", new QueryOptions { TopK = 1 }, project: "a")).Docs[0].Id);
        Assert.Equal(2, (await clientA.GetIndexInfoAsync("ia", "a")).DocCount);

        // Nothing of b: open, resume and query, read, push, write, index, job.
        var refused = await RefusedAsync(() => clientA.SessionAsync("s", new SessionOptions { Project = "b" }));
        Assert.Equal("b", refused.Project);
        var resumed = await clientA.ResumeSessionAsync("s", "b");
        await RefusedAsync(() => resumed.QueryAsync("refund"));
        await RefusedAsync(() => resumed.GetDocsAsync());
        await RefusedAsync(() => resumed.GetDocCountAsync());
        await RefusedAsync(() => resumed.AddDocsAsync(Docs));
        await RefusedAsync(() => resumed.PushIndexAsync());
        await RefusedAsync(() => clientA.QueryIndexAsync("ib", "refund", project: "b"));
        await RefusedAsync(() => clientA.GetIndexInfoAsync("ib", "b"));
        await RefusedAsync(() => clientA.LoadIndexAsync("ib", new LoadIndexOptions { Project = "b" }));
        await RefusedAsync(() => clientA.UnloadIndexAsync("ib", "b"));
        await RefusedAsync(() => clientA.GetJobStatusAsync(jobB));
        await RefusedAsync(() => clientA.AddDocsAsync("ib", Docs, new MutationJobOptions { Project = "b" }));

        // b's data is untouched, and b's client still reaches it.
        Assert.Equal(2, await sessionB.GetDocCountAsync());
        Assert.Equal(JobState.Completed, (await clientB.GetJobStatusAsync(jobB)).State);
    }

    [Fact]
    public async Task A_project_bound_client_cannot_list_the_cluster_through_Orleans_management_grain()
    {
        var orleansA = await OrleansClientAsync("a", KeyA);
        var refused = await RefusedAsync(() => orleansA.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true));
        Assert.Null(refused.Project);
        await RefusedAsync(() => orleansA.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics());

        // Methods only silos call are refused even on the client's own project: it cannot fake a job's outcome.
        var job = orleansA.GetGrain<IJobGrain>(Guid.NewGuid().ToString("N"));
        await job.StartAsync(new JobSpec("a/own", JobKind.AddDocs, 1));
        await RefusedAsync(() => job.ReportAsync(new JobProgress(JobState.Completed, JobPhase.None, 1, null)));
        await RefusedAsync(() => orleansA.GetGrain<IIndexWriterGrain>("a/own").EnqueueAsync("x"));
        Assert.Equal(JobState.PendingUpload, (await job.GetStatusAsync()).State);
    }

    [Fact]
    public async Task With_keys_configured_a_client_with_no_key_a_wrong_key_or_a_forged_request_context_is_refused()
    {
        var unbound = await ConnectAsync(project: null, key: null);
        await RefusedAsync(() => unbound.SessionAsync("s", new SessionOptions { Project = "a" }));

        var noKey = await ConnectAsync("a", key: null);
        await RefusedAsync(() => noKey.SessionAsync("s", new SessionOptions { Project = "a" }));

        var wrongKey = await ConnectAsync("a", "not-a-key");
        await RefusedAsync(() => wrongKey.SessionAsync("s", new SessionOptions { Project = "a" }));

        var otherKey = await ConnectAsync("a", KeyB);
        await RefusedAsync(() => otherKey.SessionAsync("s", new SessionOptions { Project = "a" }));

        // A plain Orleans client that writes the credential entries itself is checked like any other: a's key does not
        // open b, and no entry makes it pass as a silo-internal caller.
        var raw = await OrleansClientAsync(project: null, key: null);
        var session = raw.GetGrain<ISessionGrain>("b/s");
        RequestContext.Set(ProjectCredential.ProjectEntry, "b");
        RequestContext.Set(ProjectCredential.KeyEntry, KeyA);
        RequestContext.Set("moss.internal", true);
        try
        {
            await RefusedAsync(() => session.GetDocCountAsync());
        }
        finally
        {
            RequestContext.Clear();
        }

        // A bound client's own filter overwrites forged entries: it still reaches only its project.
        var clientA = await ConnectAsync("a", KeyA);
        RequestContext.Set(ProjectCredential.ProjectEntry, "b");
        RequestContext.Set(ProjectCredential.KeyEntry, KeyB);
        try
        {
            await RefusedAsync(() => clientA.SessionAsync("s", new SessionOptions { Project = "b" }));
            Assert.Equal(0, await (await clientA.SessionAsync("forged", new SessionOptions { Project = "a" })).GetDocCountAsync());
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    [Fact]
    public async Task The_silos_own_HTTP_API_reaches_the_grains_with_the_projects_HTTP_key()
    {
        var clientB = await ConnectAsync("b", KeyB);
        await (await clientB.SessionAsync("h", new SessionOptions { Project = "b" })).AddDocsAsync(Docs);

        using var http = new HttpClient { BaseAddress = Silo.HttpBase };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/projects/b/sessions/h/doc_count");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KeyB);
        using var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("2", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>One single-node silo process with keys for projects <c>a</c> and <c>b</c>, shared by the tests of a class.</summary>
public sealed class KeyedSiloFixture : IAsyncLifetime
{
    public const string KeyA = "key-of-project-a", KeyB = "key-of-project-b";

    public SiloProcess Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await SiloProcess.StartLocalhostAsync("keyed", new Dictionary<string, string>
    {
        ["Moss:Http:Projects:a:Keys:0"] = KeyA,
        ["Moss:Http:Projects:b:Keys:0"] = KeyB,
    });

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
