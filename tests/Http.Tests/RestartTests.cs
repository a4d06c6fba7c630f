using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Http.Tests;

/// <summary>
/// The single node keeps grain state and reminders in its data folder: a silo process killed with SIGKILL and started
/// again on the same folder has its loaded index back (serving, with its refresh settings, its reminder firing) without
/// anyone calling load, its sessions' durability, and its jobs in the lists.
/// </summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    private const string Project = "/v1/projects/default";

    [Fact]
    public async Task A_killed_single_node_started_again_on_its_folder_serves_its_loaded_index_sessions_and_jobs_as_before()
    {
        var folder = Directory.CreateTempSubdirectory("moss-restart-");
        try
        {
            var settings = new Dictionary<string, string> { ["Moss:Silo:IndexFolder"] = folder.FullName };
            string jobId;
            JsonNode indexesBefore, sessionsBefore, jobsBefore;
            await using (var first = await SiloProcess.StartLocalhostAsync("restart-1", settings))
            {
                using var http = new HttpClient { BaseAddress = first.HttpBase, Timeout = TimeSpan.FromSeconds(120) };
                var accepted = await Api.ExpectAsync(http, HttpMethod.Post, $"{Project}/indexes/faq/jobs/add",
                    """{"docs": [{"id": "r1", "text": "Refunds are issued within 5 days."}, {"id": "s1", "text": "Orders ship in one day."}]}""", HttpStatusCode.Accepted);
                jobId = (string)accepted["job_id"]!;
                Assert.Equal("completed", (string)(await Api.WaitForJobAsync(http, "default", jobId))["status"]!);
                await Api.PostAsync(http, $"{Project}/indexes/faq/load", """{"polling_interval": 10}""");
                await Api.ExpectAsync(http, HttpMethod.Put, $"{Project}/sessions/chat", """{"durability": "acknowledged"}""");
                await Api.PostAsync(http, $"{Project}/sessions/chat/docs", """{"docs": [{"id": "a", "text": "alpha"}, {"id": "b", "text": "beta"}]}""");
                indexesBefore = await Api.GetAsync(http, $"{Project}/indexes");
                sessionsBefore = await Api.GetAsync(http, $"{Project}/sessions");
                jobsBefore = await Api.GetAsync(http, $"{Project}/jobs");
                first.Kill();
                await first.Process.Exited;
            }

            var restart = Stopwatch.StartNew();
            await using var second = await SiloProcess.StartLocalhostAsync("restart-2", settings);
            var started = restart.Elapsed;
            // Nobody calls load: the registry brings the index back when the silo starts.
            string revived = await second.Process.WaitForLineAsync(l => l.Contains("Loaded indexes revived from the registries", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            output.WriteLine($"silo ready {started.TotalSeconds:F1} s after the start; loaded index serving again {restart.Elapsed.TotalSeconds:F1} s after it: {revived}");
            Assert.Contains(": 1 of 1 ", revived, StringComparison.Ordinal);

            using var again = new HttpClient { BaseAddress = second.HttpBase, Timeout = TimeSpan.FromSeconds(120) };
            var index = Assert.Single((await Api.GetAsync(again, $"{Project}/indexes"))["indexes"]!.AsArray())!;
            var before = indexesBefore["indexes"]![0]!;
            Assert.True((bool)index["live"]!);
            Assert.Equal(10, (double)index["polling_interval"]!);
            Assert.Equal((string)before["version"]!, (string)index["version"]!);
            Assert.NotNull(index["next_check"]);

            // Its reminder came back with it: within an interval (10 s) and some slack it checks the store again.
            var firstCheck = (DateTimeOffset)index["last_check"]!;
            var deadline = Stopwatch.StartNew();
            while ((DateTimeOffset)(await Api.GetAsync(again, $"{Project}/indexes/faq"))["last_check"]! <= firstCheck)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(40), "the refresh reminder did not fire after the restart");
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }

            var query = await Api.PostAsync(again, $"{Project}/indexes/faq/query", """{"query": "refund", "top_k": 1}""");
            Assert.Equal("r1", Api.Ids(query)[0]);

            var session = await Api.GetAsync(again, $"{Project}/sessions/chat");
            Assert.Equal("acknowledged", (string)session["durability"]!);
            Assert.Equal(2, (int)session["doc_count"]!);
            Assert.Equal(Names(sessionsBefore, "sessions", "name"), Names(await Api.GetAsync(again, $"{Project}/sessions"), "sessions", "name"));

            var jobs = await Api.GetAsync(again, $"{Project}/jobs");
            Assert.Equal(Names(jobsBefore, "jobs", "job_id"), Names(jobs, "jobs", "job_id"));
            Assert.Equal("completed", (string)jobs["jobs"]!.AsArray().Single(j => (string)j!["job_id"]! == jobId)!["status"]!);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string[] Names(JsonNode answer, string list, string field) =>
        [.. answer[list]!.AsArray().Select(e => (string)e![field]!).Order(StringComparer.Ordinal)];
}
