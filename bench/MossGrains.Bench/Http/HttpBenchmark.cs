using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MossGrains.Bench.Beir;
using MossGrains.Bench.Cluster;
using MossGrains.Client;
using MossGrains.Client.Cluster;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;

namespace MossGrains.Bench.Http;

/// <summary>
/// <c>http [corpus dir] [docs]</c>: one single-node silo process; one session of SciFact abstracts; then, on that same
/// session, query latency over the HTTP API (HttpClient, loopback, JSON body) against the Orleans client (the silo's
/// gateway), interleaved query by query after a warm-up, and queries/s with 16 concurrent HTTP clients against 16
/// concurrent callers of one Orleans client, in alternating windows.
/// </summary>
internal static class HttpBenchmark
{
    private const int DefaultDocs = 2_000;
    private const int Callers = 16;
    private const int QueryRounds = 20;
    private static readonly TimeSpan WarmupWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(5);
    private static readonly QueryOptions Options = new() { TopK = 5 };

    public static async Task<int> RunAsync(string directory, int docs)
    {
        docs = docs > 0 ? docs : DefaultDocs;
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        var load = new LoadAverage();
        var data = BeirDataset.Load(directory);
        var queries = data.TestQueries().Select(q => q.Text).Take(50).ToArray();

        await using var silo = await SiloProcess.StartLocalhostAsync("bench-http", new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MossGrains.Silo"] = "Information",
        });
        var clientOptions = new MossClusterClientOptions();
        clientOptions.Gateways.Add(silo.Gateway);
        await using var moss = await MossClient.ConnectAsync(clientOptions);
        var session = await moss.SessionAsync("bench-http", new SessionOptions { Durability = SessionDurability.Ephemeral });

        var filling = Stopwatch.StartNew();
        foreach (var batch in data.Corpus.Take(docs).Chunk(100))
        {
            await session.AddDocsAsync(batch.Select(d => new DocumentInfo(d.Id, d.IndexedText)));
        }

        var info = await session.GetInfoAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"session: {info.DocCount:N0} SciFact abstracts, model {info.ModelId}, filled in {filling.Elapsed.TotalSeconds:F1} s through the Orleans client; {queries.Length} test queries, top_k 5, default alpha"));

        var http = Enumerable.Range(0, Callers).Select(_ => new HttpClient { BaseAddress = silo.HttpBase, Timeout = TimeSpan.FromSeconds(60) }).ToArray();
        try
        {
            const string Path = "/v1/projects/default/sessions/bench-http/query";
            Task<int> ViaHttpAsync(HttpClient client, string query) => HttpQueryAsync(client, Path, query);
            async Task<int> ViaOrleansAsync(string query) => (await session.QueryAsync(query, Options)).Docs.Count;

            // Warm up by time: the silo's JIT tier-up needs wall-clock time, for both paths.
            var warmup = Stopwatch.StartNew();
            for (int n = 0; warmup.Elapsed < WarmupWindow; n++)
            {
                await ViaHttpAsync(http[0], queries[n % queries.Length]);
                await ViaOrleansAsync(queries[n % queries.Length]);
            }

            load.Mark();
            List<double> overHttp = [], overOrleans = [];
            for (int round = 0; round < QueryRounds; round++)
            {
                foreach (string query in queries)
                {
                    // Alternate which path goes first, so neither always meets the other's leftovers.
                    if ((round + overHttp.Count) % 2 == 0)
                    {
                        overHttp.Add(await TimeAsync(() => ViaHttpAsync(http[0], query)));
                        overOrleans.Add(await TimeAsync(() => ViaOrleansAsync(query)));
                    }
                    else
                    {
                        overOrleans.Add(await TimeAsync(() => ViaOrleansAsync(query)));
                        overHttp.Add(await TimeAsync(() => ViaHttpAsync(http[0], query)));
                    }
                }
            }

            double[] x = [.. overHttp.Order()], y = [.. overOrleans.Order()];
            Console.WriteLine("query latency, one caller at a time, interleaved:");
            Console.WriteLine($"  HTTP (HttpClient, JSON)   {BenchReport.Summary(x)}");
            Console.WriteLine($"  Orleans client            {BenchReport.Summary(y)}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  added by HTTP: p50 {BenchReport.Percentile(x, 50) - BenchReport.Percentile(y, 50):F3} ms, p95 {BenchReport.Percentile(x, 95) - BenchReport.Percentile(y, 95):F3} ms, p99 {BenchReport.Percentile(x, 99) - BenchReport.Percentile(y, 99):F3} ms"));
            load.Mark();

            // Windows alternate HTTP, Orleans, HTTP, Orleans: a burst of noise from elsewhere hits both.
            double[] httpRates = new double[2], orleansRates = new double[2];
            for (int window = 0; window < 2; window++)
            {
                httpRates[window] = await QueryThroughput.MeasureAsync(http, (client, n) => ViaHttpAsync(client, queries[n % queries.Length]), ThroughputWindow);
                orleansRates[window] = await QueryThroughput.MeasureAsync(
                    Enumerable.Repeat(session, Callers).ToArray(), (s, n) => ViaOrleansAsync(queries[n % queries.Length]), ThroughputWindow);
                load.Mark();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"queries/s, {Callers} concurrent callers, 2 × {ThroughputWindow.TotalSeconds:0} s each, alternating:"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  HTTP, {Callers} HttpClients (own connections)   {httpRates.Average():F0}  ({httpRates[0]:F0}, {httpRates[1]:F0})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Orleans client, {Callers} callers               {orleansRates.Average():F0}  ({orleansRates[0]:F0}, {orleansRates[1]:F0})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  HTTP / Orleans: {httpRates.Average() / orleansRates.Average():F2}"));
            Console.WriteLine($"load average (1 min) during the run: {load.Summary()}");
        }
        finally
        {
            foreach (var client in http)
            {
                client.Dispose();
            }
        }

        return 0;
    }

    /// <summary>What an agent does: POST the query as JSON, read and parse the whole answer.</summary>
    private static async Task<int> HttpQueryAsync(HttpClient client, string path, string query)
    {
        using var response = await client.PostAsJsonAsync(path, new HttpQuery(query, 5));
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var answer = await JsonDocument.ParseAsync(body);
        return answer.RootElement.GetProperty("docs").GetArrayLength();
    }

    private static async Task<double> TimeAsync(Func<Task<int>> call)
    {
        long started = Stopwatch.GetTimestamp();
        int found = await call();
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return found > 0 ? ms : throw new InvalidOperationException("A query found nothing: the session is not what the benchmark built.");
    }

    private sealed record HttpQuery(
        [property: System.Text.Json.Serialization.JsonPropertyName("query")] string Query,
        [property: System.Text.Json.Serialization.JsonPropertyName("top_k")] int TopK);

    /// <summary>The 1-minute load average of this machine, read at each mark.</summary>
    private sealed class LoadAverage
    {
        private readonly List<double> _samples = [];

        public LoadAverage() => Mark();

        public void Mark()
        {
            if (File.Exists("/proc/loadavg"))
            {
                _samples.Add(double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture));
            }
        }

        public string Summary() => _samples.Count == 0
            ? "unknown"
            : string.Create(CultureInfo.InvariantCulture, $"{_samples.Min():F1} to {_samples.Max():F1} ({string.Join(", ", _samples.Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))})");
    }
}
