using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Http.Tests;

/// <summary>
/// A query that reaches a session while it hydrates from the store waits for it (bounded by
/// <c>Moss:Sessions:HydrationWait</c>) rather than failing. The slow path is real: a silo process pushes a
/// <see cref="Docs"/>-document session to its index folder and stops; a new silo process on the same folder must
/// hydrate it on the first call.
/// </summary>
public sealed class HydrationTests(ITestOutputHelper output)
{
    private const int Docs = 15_000; // under the engine's AnnThreshold (20,000): no HNSW graph to build before the push
    private const int Dimensions = 16;
    private const string Session = "/v1/projects/default/sessions/big";

    [Fact]
    public async Task Queries_on_first_access_wait_for_the_hydration_and_answer()
    {
        var folder = Directory.CreateTempSubdirectory("moss-hydration-");
        try
        {
            await PushBigSessionAsync(folder.FullName);
            await using var silo = await SiloProcess.StartLocalhostAsync("hydrate", Settings(folder.FullName));
            using var http = new HttpClient { BaseAddress = silo.HttpBase, Timeout = TimeSpan.FromSeconds(120) };

            // All at once, on the session's first access after the restart: every one waits for the same hydration.
            int[] probes = [.. Enumerable.Range(0, 8).Select(i => i * 1_877 % Docs)];
            var answers = await Task.WhenAll(probes.Select(doc => Api.SendAsync(http, HttpMethod.Post, Session + "/query", QueryFor(doc))));
            for (int i = 0; i < probes.Length; i++)
            {
                var (status, body, _) = answers[i];
                Assert.True(status == HttpStatusCode.OK, $"query {i}: {(int)status} {body?.ToJsonString()}");
                Assert.Equal($"d{probes[i]}", Api.Ids(body!)[0]);
            }

            // The hydration happened in this process, on that first access, and took measurable time.
            string hydrated = silo.Process.Lines.Single(l => l.Contains("Session default/big hydrated", StringComparison.Ordinal));
            Assert.Contains($": {Docs} docs in ", hydrated, StringComparison.Ordinal);
            output.WriteLine(hydrated);
            Assert.Equal(Docs, (int)(await Api.GetAsync(http, Session + "/doc_count"))["doc_count"]!);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Past_the_bound_a_query_is_a_503_to_retry_and_the_retry_answers()
    {
        var folder = Directory.CreateTempSubdirectory("moss-hydration-");
        try
        {
            await PushBigSessionAsync(folder.FullName);
            var settings = Settings(folder.FullName);
            settings["Moss:Sessions:HydrationWait"] = "00:00:00.001";
            await using var silo = await SiloProcess.StartLocalhostAsync("hydrate-bound", settings);
            using var http = new HttpClient { BaseAddress = silo.HttpBase, Timeout = TimeSpan.FromSeconds(120) };

            var (status, problem, response) = await Api.SendAsync(http, HttpMethod.Post, Session + "/query", QueryFor(42));
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{(int)status} {problem?.ToJsonString()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Moss:Sessions:HydrationWait", (string)problem!["detail"]!, StringComparison.Ordinal);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");

            // As a client would: retry after what Retry-After says until the hydration, which went on, is done.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            JsonNode? answer;
            while (true)
            {
                await Task.Delay(retryAfter!.Value);
                (status, answer, response) = await Api.SendAsync(http, HttpMethod.Post, Session + "/query", QueryFor(42));
                if (status != HttpStatusCode.ServiceUnavailable)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "still 503 after 2 minutes of retries");
                retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            }

            Assert.True(status == HttpStatusCode.OK, $"{(int)status} {answer?.ToJsonString()}");
            Assert.Equal("d42", Api.Ids(answer!)[0]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Settings(string folder) => new() { ["Moss:Silo:IndexFolder"] = folder };

    /// <summary>A custom-vector session (no embedding to pay for) of <see cref="Docs"/> documents, pushed to <paramref name="folder"/> by a silo that then stops.</summary>
    private async Task PushBigSessionAsync(string folder)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var silo = await SiloProcess.StartLocalhostAsync("hydrate-push", Settings(folder));
        using var http = new HttpClient { BaseAddress = silo.HttpBase, Timeout = TimeSpan.FromSeconds(300) };
        await Api.ExpectAsync(http, HttpMethod.Put, Session, """{"model_id": "custom", "durability": "checkpoint"}""");
        for (int start = 0; start < Docs; start += 1_000)
        {
            var batch = new StringBuilder("""{"docs": [""");
            for (int i = start; i < start + 1_000; i++)
            {
                batch.Append(i == start ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"id": "d{{i}}", "text": "note {{i}} marker{{i}}x", "embedding": {{Vector(i)}}}""");
            }

            await Api.PostAsync(http, Session + "/docs", batch.Append("]}").ToString());
        }

        var pushed = await Api.PostAsync(http, Session + "/push", null);
        Assert.Equal(Docs, (int)pushed["doc_count"]!);
        output.WriteLine($"{Docs} docs added and pushed ({(long)pushed["bytes"]!} bytes) in {started.Elapsed.TotalSeconds:F1} s");
        await silo.TerminateAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Doc <paramref name="doc"/>'s own words and vector: it ranks first.</summary>
    private static string QueryFor(int doc) => $$"""{"query": "marker{{doc}}x", "top_k": 3, "alpha": 0.5, "embedding": {{Vector(doc)}}}""";

    private static string Vector(int doc)
    {
        var random = new Random(doc);
        return "[" + string.Join(",", Enumerable.Range(0, Dimensions).Select(_ => (random.NextDouble() * 2 - 1).ToString("F4", CultureInfo.InvariantCulture))) + "]";
    }
}
