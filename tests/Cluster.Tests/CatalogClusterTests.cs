using System.Diagnostics;
using System.Text.Json.Nodes;
using MossGrains.Client.Indexes;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Cluster.Tests;

/// <summary>
/// The catalog (<c>GET …/sessions | indexes | jobs</c>) of three silo processes on Azurite lists the same entries before,
/// during and after a failover, and after a full restart: entries come from each project's durable registry; a hung silo
/// costs a bounded wait and is named in <c>unreachable_silos</c>, never a 500.
/// </summary>
public sealed class CatalogClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private static readonly string[] Lists = ["sessions", "indexes", "jobs"];

    private static DocumentInfo[] Docs(string tag) =>
        [.. Enumerable.Range(0, 3).Select(i => new DocumentInfo($"{tag}{i}", $"{tag} entry {i}: refunds take {i} days"))];

    [Fact]
    public async Task Lists_are_the_same_while_a_silo_hangs_after_it_is_killed_and_after_a_full_restart()
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        var client = await cluster.ClientAsync(CallTimeout, cluster.Silos);
        // Jobs and sessions land on every silo (random placement; sessions on the gateway that opened them).
        var jobIds = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            jobIds.Add(await client.AddDocsAsync($"idx{i % 3}", Docs($"j{i}")));
        }

        foreach (string jobId in jobIds)
        {
            await client.WaitForJobAsync(jobId);
        }

        await client.LoadIndexAsync("idx0", new LoadIndexOptions { PollingInterval = TimeSpan.FromSeconds(30) });
        foreach (var silo in cluster.Silos)
        {
            var opener = await cluster.ClientAsync(CallTimeout, silo);
            var session = await opener.SessionAsync($"chat-{silo.Name}", new SessionOptions { Durability = SessionDurability.Acknowledged });
            await session.AddDocsAsync(Docs("s"));
        }

        using var http = new HttpClient { BaseAddress = cluster.Silos[0].HttpBase, Timeout = TimeSpan.FromSeconds(60) };
        var before = await ListsAsync(http);
        Assert.Equal(jobIds.Order(StringComparer.Ordinal), before["jobs"]);
        Assert.Equal(3, before["sessions"].Length);
        Assert.Equal(["idx0"], before["indexes"]);

        var hung = cluster.Silos[2];
        Assert.Equal(0, await hung.SignalAsync("STOP"));
        var clock = Stopwatch.StartNew();
        var (during, unreachable) = await ListsWithUnreachableAsync(http);
        output.WriteLine($"lists with a hung silo: {clock.Elapsed.TotalSeconds:F2} s for the three; unreachable: {string.Join(", ", unreachable)}");
        Assert.Equal(before, during);
        Assert.Contains(unreachable, u => u.StartsWith($"127.0.0.1:{hung.SiloPort}@", StringComparison.Ordinal));

        hung.Kill();
        clock.Restart();
        // Through the failover (the dead silo is still listed active, then declared dead) every answer lists the same.
        while (true)
        {
            var (after, stillUnreachable) = await ListsWithUnreachableAsync(http);
            Assert.Equal(before, after);
            if (stillUnreachable.Count == 0)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the killed silo was never declared dead");
        }

        output.WriteLine($"killed silo out of the lists' way after {clock.Elapsed.TotalSeconds:F1} s");

        // A full restart: every silo killed, three new ones on the same storage.
        foreach (var silo in cluster.Silos)
        {
            silo.Kill();
        }

        await using var restarted = new SiloGroup(await SiloProcess.StartManyAsync(3, "again", cluster.Azurite.ConnectionString, cluster.ClusterId));
        clock.Restart();
        await Task.WhenAny(restarted.Silos.Select(s => s.Process.WaitForLineAsync(
            l => l.Contains("Loaded indexes revived from the registries: 1 of 1", StringComparison.Ordinal), TimeSpan.FromSeconds(90))));
        output.WriteLine($"loaded index revived {clock.Elapsed.TotalSeconds:F1} s after the restarted silos were ready");
        using var again = new HttpClient { BaseAddress = restarted.Silos[1].HttpBase, Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(before, await ListsAsync(again));
        var index = (await GetAsync(again, "indexes"))["indexes"]!.AsArray().Single()!;
        Assert.True((bool)index["live"]!);
        Assert.Equal(30, (double)index["polling_interval"]!);
    }

    private static async Task<Dictionary<string, string[]>> ListsAsync(HttpClient http) => (await ListsWithUnreachableAsync(http)).Lists;

    private static async Task<(Dictionary<string, string[]> Lists, IReadOnlyList<string> Unreachable)> ListsWithUnreachableAsync(HttpClient http)
    {
        var lists = new Dictionary<string, string[]>();
        var unreachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (string list in Lists)
        {
            var answer = await GetAsync(http, list);
            lists[list] = [.. answer[list]!.AsArray().Select(e => (string)e![list == "jobs" ? "job_id" : "name"]!).Order(StringComparer.Ordinal)];
            unreachable.UnionWith(answer["unreachable_silos"]?.AsArray().Select(s => (string)s!) ?? []);
        }

        return (lists, [.. unreachable]);
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, string list)
    {
        using var response = await http.GetAsync(new Uri($"/v1/projects/default/{list}?limit=1000", UriKind.Relative));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {list}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Silos started outside the <see cref="LocalCluster"/>; disposing stops them.</summary>
    private sealed class SiloGroup(SiloProcess[] silos) : IAsyncDisposable
    {
        public SiloProcess[] Silos => silos;

        public async ValueTask DisposeAsync()
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }
}
