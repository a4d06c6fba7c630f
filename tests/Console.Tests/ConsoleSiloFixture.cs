using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MossGrains.Testing;

namespace MossGrains.Console.Tests;

/// <summary>
/// One single-node silo whose API needs a key (<c>acme</c> and <c>globex</c> each have one, the dashboard an operator's), holding what the console
/// shows: a loaded index built by a job, a failed job, and a session with documents.
/// </summary>
public sealed class ConsoleSiloFixture : IAsyncLifetime
{
    public const string Project = "acme";
    public const string AcmeKey = "acme-console-key";
    public const string GlobexKey = "globex-console-key";
    public const string OperatorKey = "operator-console-key";
    public const string Index = "handbook";
    public const string Session = "call-7";

    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    /// <summary>The completed job that built <see cref="Index"/>, as the API reported it.</summary>
    public JsonNode CompletedJob { get; private set; } = new JsonObject();

    /// <summary>A job refused by the index writer (re-adding an id with upsert off), as the API reported it.</summary>
    public JsonNode FailedJob { get; private set; } = new JsonObject();

    public JsonNode IndexInfo { get; private set; } = new JsonObject();

    public JsonNode SessionInfo { get; private set; } = new JsonObject();

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartLocalhostAsync("console", new Dictionary<string, string>
        {
            [$"Moss:Http:Projects:{Project}:Keys:0"] = AcmeKey,
            ["Moss:Http:Projects:globex:Keys:0"] = GlobexKey,
            ["Moss:Http:OperatorKeys:0"] = OperatorKey,
        });

        CompletedJob = await RunJobAsync($"/indexes/{Index}/jobs/add", """
            {"docs": [
              {"id": "r1", "text": "Refunds are issued within 5 days of the return.", "metadata": {"topic": "refund"}},
              {"id": "s1", "text": "Orders ship from Lyon within one day.", "metadata": {"topic": "shipping"}},
              {"id": "s2", "text": "Express shipping costs 9 euros.", "metadata": {"topic": "shipping", "lang": "en"}}
            ]}
            """);
        Assert.Equal("completed", (string?)CompletedJob["status"]);
        FailedJob = await RunJobAsync($"/indexes/{Index}/jobs/add", """{"docs": [{"id": "r1", "text": "A second r1."}], "upsert": false}""");
        Assert.Equal("failed", (string?)FailedJob["status"]);
        IndexInfo = await SendAsync(HttpMethod.Post, $"/indexes/{Index}/load", """{"auto_refresh": true, "polling_interval": 60}""");

        SessionInfo = await SendAsync(HttpMethod.Put, $"/sessions/{Session}", """{"durability": "acknowledged"}""");
        await SendAsync(HttpMethod.Post, $"/sessions/{Session}/docs", """
            {"docs": [{"id": "t1", "text": "The caller asks about a refund."}, {"id": "t2", "text": "The agent explains shipping."}]}
            """);
        SessionInfo = await SendAsync(HttpMethod.Get, $"/sessions/{Session}", null);
    }

    /// <summary>Sends to <c>/v1/projects/acme{path}</c> with acme's key and requires success.</summary>
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, $"/v1/projects/{Project}{path}")
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        };
        using var http = Client();
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text) ?? new JsonObject();
    }

    /// <summary>
    /// Submits a job and reads its status until it is completed or failed: the API has no completion event, so this
    /// polls with a bound, as any client of the API does.
    /// </summary>
    public async Task<JsonNode> RunJobAsync(string path, string json)
    {
        var accepted = await SendAsync(HttpMethod.Post, path, json);
        string jobId = (string)accepted["job_id"]!;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        using var http = Client();
        while (true)
        {
            var status = await http.GetFromJsonAsync<JsonNode>($"/v1/projects/{Project}/jobs/{jobId}") ?? new JsonObject();
            if ((string?)status["status"] is "completed" or "failed")
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} is still {status["status"]} after 2 minutes");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = Silo.HttpBase, Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Add("X-Moss-Key", AcmeKey);
        return http;
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
            // The silo's own log, beside the screenshots, for a failure the page alone does not explain.
            string folder = Path.Combine(TestPaths.NativeDirectory, "test-results", "screenshots");
            Directory.CreateDirectory(folder);
            await File.WriteAllLinesAsync(Path.Combine(folder, "console-silo.log"), _silo.Process.Lines);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleSiloGroup : ICollectionFixture<ConsoleSiloFixture>
{
    public const string Name = "console silo";
}
