using System.Text;
using System.Text.Json.Nodes;
using MossGrains.Client.Indexes;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Cluster.Tests;

/// <summary>
/// What HTTP callers see through the survivors while a silo is killed (SIGKILL) or hung (SIGSTOP): never a 500, only
/// answers or 503 with <c>Retry-After</c>, and answers again within a bound; retried writes with an
/// <c>Idempotency-Key</c> are done once. Three silo processes on a real Azurite, <c>Fast</c> failure detection.
/// </summary>
public sealed class FailoverHttpTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);

    private static HttpRequestMessage Post(string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static async Task<JsonNode> ExpectAsync(HttpClient http, HttpRequestMessage request, int status = 200)
    {
        using (request)
        {
            using var response = await http.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}");
            return JsonNode.Parse(body)!;
        }
    }

    private static void AssertOnly2xxOr503WithRetryAfter(IEnumerable<FailoverCall> calls)
    {
        foreach (var call in calls.Where(c => !c.Succeeded))
        {
            Assert.True(call.Status == 503 && call.RetryAfter, $"{call.Kind} through {call.Silo} answered {call.Status} (Retry-After: {call.RetryAfter}) after {call.Took.TotalSeconds:F1} s: {call.Body}");
        }
    }

    [Fact]
    public async Task Kill_9_while_queries_run_through_every_silo_on_a_replicated_loaded_index_answers_only_2xx_or_503()
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        var v1 = await IndexClusterTests.PublishBehindTheClustersBackAsync(cluster, "faq", "v1");
        var client = await cluster.ClientAsync(TimeSpan.FromSeconds(15), cluster.Silos);
        var loaded = await client.LoadIndexAsync("faq", new LoadIndexOptions { ServeFromEverySilo = true, AutoRefresh = false });
        var host = cluster.HostOf(loaded.Silo);
        var survivors = cluster.Silos.Where(s => s != host).ToArray();
        var load = new FailoverLoad();
        var https = cluster.Silos.ToDictionary(s => s, FailoverLoad.ClientOf);
        const string Query = "/v1/projects/default/indexes/faq/query";
        const string Body = """{"query": "product ships", "top_k": 3}""";

        // A first query through each survivor starts its reader, which then downloads its replica.
        foreach (var silo in survivors)
        {
            Assert.Equal(v1.Id, (string?)(await ExpectAsync(https[silo], Post(Query, Body)))["version"]);
        }

        await Task.WhenAll(survivors.Select(s => s.Process.WaitForLineAsync(
            l => l.Contains($"Index default/faq swapped from (none) to version {v1.Id}", StringComparison.Ordinal), TimeSpan.FromSeconds(30))));

        using var stop = new CancellationTokenSource();
        var loops = cluster.Silos.Select(silo => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !(silo == host && silo.HasExited))
            {
                await load.SendAsync(silo, https[silo], "query", () => Post(Query, Body));
                await Task.Delay(TimeSpan.FromMilliseconds(10));
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1)); // queries through every silo before the kill
        var killedAt = load.Now;
        host.Kill();
        output.WriteLine($"killed {host.Name}, the index grain's host");
        while (!(load.Now - killedAt > TimeSpan.FromSeconds(8) && load.Recovered(survivors, killedAt, streak: 20)))
        {
            Assert.True(load.Now - killedAt < RecoveryLimit, "the survivors did not answer again: " + load.Summary(killedAt));
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        output.WriteLine(load.Summary(killedAt));
        var throughSurvivors = load.Calls.Where(c => survivors.Any(s => s.Name == c.Silo)).ToArray();
        AssertOnly2xxOr503WithRetryAfter(throughSurvivors);
        Assert.All(throughSurvivors.Where(c => c.Succeeded), c => Assert.Equal(v1.Id, (string?)JsonNode.Parse(c.Body)!["version"]));
        // Calls through the killed silo itself could only fail to connect (or answer before it died).
        Assert.All(load.Calls.Where(c => c.Silo == host.Name && !c.Succeeded), c => Assert.Equal(0, c.Status));
        foreach (var http in https.Values)
        {
            http.Dispose();
        }
    }

    [Theory]
    [InlineData("KILL")]
    [InlineData("STOP")]
    public async Task Losing_a_sessions_host_answers_calls_through_survivors_2xx_or_503_with_Retry_After_and_keyed_retries_do_the_work_once(string signal)
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        var https = cluster.Silos.ToDictionary(s => s, FailoverLoad.ClientOf);
        const string Session = "/v1/projects/default/sessions/fo";
        const string Job = "/v1/projects/default/indexes/fo-jobs/jobs/add";
        var opened = await ExpectAsync(https[cluster.Silos[0]], new HttpRequestMessage(HttpMethod.Put, Session)
        {
            Content = new StringContent("""{"durability": "acknowledged"}""", Encoding.UTF8, "application/json"),
        });
        var host = cluster.HostOf((string)opened["silo"]!);
        var survivors = cluster.Silos.Where(s => s != host).ToArray();
        var before = https[survivors[0]];

        // Keyed writes before the failure: a retry answers the first answer; the key on another body is refused.
        const string Three = """{"docs": [{"id": "k0", "text": "refund policy"}, {"id": "k1", "text": "shipping times"}, {"id": "k2", "text": "returns desk"}]}""";
        var added = await ExpectAsync(before, Post(Session + "/docs", Three, "add-once"));
        Assert.Equal((3, 0), ((int)added["added"]!, (int)added["updated"]!));
        Assert.Equal(added.ToJsonString(), (await ExpectAsync(before, Post(Session + "/docs", Three, "add-once"))).ToJsonString());
        var reused = await ExpectAsync(before, Post(Session + "/docs", """{"docs": [{"id": "other", "text": "another body"}]}""", "add-once"), 422);
        Assert.Contains("Idempotency-Key", reused.ToJsonString(), StringComparison.Ordinal);
        string pushed = (string)(await ExpectAsync(before, Post(Session + "/push", "", "push-once")))["version"]!;
        const string JobDocs = """{"docs": [{"id": "j0", "text": "a job document"}]}""";
        string jobId = (string)(await ExpectAsync(before, Post(Job, JobDocs, "job-once"), 202))["job_id"]!;

        // Writers and readers through both survivors; each write has its own key and is retried with it until acknowledged.
        var load = new FailoverLoad();
        var acknowledged = new HashSet<string>();
        using var stop = new CancellationTokenSource();
        var loops = survivors.Select((silo, n) => Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested;)
            {
                string id = $"s{n}-{i}";
                var write = await load.SendAsync(silo, https[silo], "write", () => Post(Session + "/docs", $$"""{"docs": [{"id": "{{id}}", "text": "write {{i}} through {{silo.Name}}"}]}""", id));
                if (write.Succeeded)
                {
                    lock (acknowledged)
                    {
                        acknowledged.Add(id);
                    }

                    i++;
                }

                await load.SendAsync(silo, https[silo], "query", () => Post(Session + "/query", """{"query": "refund", "top_k": 3}"""));
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1));
        var failedAt = load.Now;
        Assert.Equal(0, await host.SignalAsync(signal));
        output.WriteLine($"SIG{signal} to {host.Name}, the session's host");
        while (!(load.Now - failedAt > TimeSpan.FromSeconds(3) && load.Recovered(survivors, failedAt, streak: 10)))
        {
            Assert.True(load.Now - failedAt < RecoveryLimit, "the survivors did not answer again: " + load.Summary(failedAt));
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        output.WriteLine(load.Summary(failedAt));
        AssertOnly2xxOr503WithRetryAfter(load.Calls);

        // The same keyed writes again, now on the session's new host: the first answers, the work not done again.
        var after = https[survivors[1]];
        Assert.Equal(added.ToJsonString(), (await ExpectAsync(after, Post(Session + "/docs", Three, "add-once"))).ToJsonString());
        Assert.Equal(pushed, (string)(await ExpectAsync(after, Post(Session + "/push", "", "push-once")))["version"]!);
        Assert.Equal(jobId, (string)(await ExpectAsync(after, Post(Job, JobDocs, "job-once"), 202))["job_id"]!);
        Assert.Equal(422, (int)(await ExpectAsync(after, Post(Job, """{"docs": [{"id": "j1", "text": "another job"}]}""", "job-once"), 422))["status"]!);
        var info = await ExpectAsync(after, new HttpRequestMessage(HttpMethod.Get, Session));
        Assert.NotEqual(host, cluster.HostOf((string)info["silo"]!));
        Assert.Equal(3 + acknowledged.Count, (int)info["doc_count"]!);
        foreach (var http in https.Values)
        {
            http.Dispose();
        }
    }
}
