using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace MossGrains.Cluster.Tests;

/// <summary>deploy/local/moss-local end to end: up, the HTTP API through every silo, kill -9 of one silo, down.</summary>
public sealed class LocalDeployScriptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(60);

    // Three topics far apart in meaning; each query shares few words with its document, so the model has to place it.
    private static readonly (string Id, string Text, string Query)[] Topics =
    [
        ("refund", "Refunds are returned to the original card within five business days.", "how long until I get my money back"),
        ("cat", "The cat sleeps on the warm windowsill all afternoon.", "where does the kitten nap"),
        ("volcano", "Lava from the volcano flowed into the sea and formed new land.", "molten rock from an eruption reaching the ocean"),
    ];

    [Fact]
    public async Task Up_serves_the_api_on_every_silo_keeps_answering_after_a_kill_9_and_down_leaves_nothing_running()
    {
        var runDirectory = Directory.CreateTempSubdirectory("moss-deploy-local-");
        var script = new LocalDeployScript(runDirectory.FullName, output.WriteLine);
        var pids = new Dictionary<string, int>();
        HttpClient[] silos = [];
        try
        {
            var (upCode, upOutput) = await script.RunAsync("up");
            Assert.True(upCode == 0, $"up failed:\n{upOutput}");
            foreach (string name in LocalDeployScript.ProcessNames)
            {
                pids[name] = script.PidOf(name);
                Assert.True(LocalDeployScript.IsRunning(pids[name]), $"{name} (pid {pids[name]}) is not running after up");
            }

            var (statusCode, status) = await script.RunAsync("status");
            Assert.Equal(0, statusCode);
            Assert.Equal(LocalDeployScript.Silos + 1, status.Split('\n').Count(l => l.Contains(" alive ", StringComparison.Ordinal)));

            silos = Enumerable.Range(0, LocalDeployScript.Silos).Select(i => Client(script.HttpBase(i), script.ProjectKey)).ToArray();
            using var anonymous = new HttpClient { BaseAddress = script.HttpBase(1) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/v1/projects/default/sessions/s0/doc_count", UriKind.Relative))).StatusCode);
            using var dashboard = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
            dashboard.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{script.OperatorKey}")));
            Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(dashboard)).StatusCode);
            foreach (var silo in silos)
            {
                Assert.Equal(LocalDeployScript.Silos, (await ActiveNodesAsync(silo)).Count);
            }

            // Each silo opens its own session and writes to it; then every silo reads every session.
            for (int i = 0; i < silos.Length; i++)
            {
                await SendAsync(silos[i], HttpMethod.Put, $"s{i}", """{"durability": "acknowledged"}""");
                var docs = new JsonArray([.. Topics.Select(t => (JsonNode)new JsonObject { ["id"] = $"s{i}-{t.Id}", ["text"] = t.Text })]);
                var added = await SendAsync(silos[i], HttpMethod.Post, $"s{i}/docs", new JsonObject { ["docs"] = docs }.ToJsonString());
                Assert.Equal(Topics.Length, (int)added["added"]!);
            }

            for (int through = 0; through < silos.Length; through++)
            {
                for (int session = 0; session < silos.Length; session++)
                {
                    await AssertAnswersAsync(silos[through], session);
                }
            }

            // Kill the silo holding session s0, so that session has to come back on a survivor from storage.
            string host = (string)(await SendAsync(silos[0], HttpMethod.Get, "s0", null))["silo"]!;
            int victim = Enumerable.Range(0, silos.Length).Single(i => host.Contains($"127.0.0.1:{script.SiloPort(i)}:", StringComparison.Ordinal));
            output.WriteLine($"kill -9 silo{victim} (pid {pids[$"silo{victim}"]}), host of s0 ({host})");
            var clock = Stopwatch.StartNew();
            using (var killed = Process.GetProcessById(pids[$"silo{victim}"]))
            {
                killed.Kill();
                await killed.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            var (degradedCode, degraded) = await script.RunAsync("status");
            Assert.NotEqual(0, degradedCode);
            Assert.Contains(degraded.Split('\n'), l => l.StartsWith($"silo{victim} ", StringComparison.Ordinal) && l.Contains(" dead ", StringComparison.Ordinal));

            foreach (int survivor in Enumerable.Range(0, silos.Length).Where(i => i != victim))
            {
                await UntilAnswersAsync(
                    async () =>
                    {
                        var active = await ActiveNodesAsync(silos[survivor]);
                        if (active.Count != LocalDeployScript.Silos - 1 || active.Any(a => a.StartsWith($"127.0.0.1:{script.SiloPort(victim)}@", StringComparison.Ordinal)))
                        {
                            throw new HttpRequestException($"silo{survivor} lists as active: {string.Join(", ", active)}");
                        }
                    },
                    clock);
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s after the kill: silo{survivor} lists {LocalDeployScript.Silos - 1} active nodes");
                for (int session = 0; session < silos.Length; session++)
                {
                    int failures = await UntilAnswersAsync(() => AssertAnswersAsync(silos[survivor], session), clock);
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s after the kill: silo{survivor} answered s{session} ({failures} failed tries)");
                }
            }
        }
        finally
        {
            foreach (var client in silos)
            {
                client.Dispose();
            }

            var (downCode, _) = await script.RunAsync("down");
            Assert.Equal(0, downCode);
        }

        Assert.Equal(LocalDeployScript.Silos + 1, pids.Count);
        Assert.All(pids, p => Assert.False(LocalDeployScript.IsRunning(p.Value), $"{p.Key} (pid {p.Value}) still runs after down"));
        Assert.Empty(Directory.GetFiles(runDirectory.FullName, "*.pid"));
        runDirectory.Delete(recursive: true);
    }

    private static HttpClient Client(Uri baseAddress, string key)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonNode> SendAsync(HttpClient client, HttpMethod method, string sessionPath, string? json)
    {
        using var request = new HttpRequestMessage(method, $"/v1/projects/default/sessions/{sessionPath}")
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"{method} {client.BaseAddress}{request.RequestUri}: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }

        return JsonNode.Parse(body)!;
    }

    /// <summary>Addresses of the silos the catalog (<c>GET …/nodes</c>) lists as active.</summary>
    private static async Task<List<string>> ActiveNodesAsync(HttpClient through)
    {
        using var response = await through.GetAsync(new Uri("/v1/projects/default/nodes", UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"GET {through.BaseAddress}v1/projects/default/nodes: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }

        return [.. JsonNode.Parse(body)!["nodes"]!.AsArray().Where(n => (string)n!["status"]! == "active").Select(n => (string)n!["address"]!)];
    }

    /// <summary>Every topic's query ranks that topic's document of session s<paramref name="session"/> first.</summary>
    private static async Task AssertAnswersAsync(HttpClient through, int session)
    {
        var count = await SendAsync(through, HttpMethod.Get, $"s{session}/doc_count", null);
        Assert.Equal(Topics.Length, (int)count["doc_count"]!);
        foreach (var topic in Topics)
        {
            var result = await SendAsync(through, HttpMethod.Post, $"s{session}/query", new JsonObject { ["query"] = topic.Query, ["top_k"] = 3 }.ToJsonString());
            var docs = result["docs"]!.AsArray();
            Assert.Equal(Topics.Length, docs.Count);
            Assert.True((string)docs[0]!["id"]! == $"s{session}-{topic.Id}", $"'{topic.Query}' through {through.BaseAddress} on s{session}: {result.ToJsonString()}");
        }
    }

    /// <summary>Retries while the cluster notices the dead silo (calls to it fail or time out), failing once <paramref name="clock"/> passes the limit.</summary>
    private static async Task<int> UntilAnswersAsync(Func<Task> call, Stopwatch clock)
    {
        for (int failures = 0; ; failures++)
        {
            try
            {
                await call();
                return failures;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && clock.Elapsed < FailoverLimit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }
}
