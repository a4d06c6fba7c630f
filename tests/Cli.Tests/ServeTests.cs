using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MossGrains.Testing;

namespace MossGrains.Cli.Tests;

/// <summary><c>moss serve --sample</c>: a single-node server in the CLI's own process, with a BEIR-shaped sample indexed and loaded.</summary>
public sealed partial class ServeTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Serve_indexes_and_loads_the_sample_prints_a_working_curl_and_stops_on_sigint_then_a_second_start_loads_the_stored_index_and_stops_on_sigterm()
    {
        string root = Directory.CreateTempSubdirectory("moss-cli-serve-").FullName;
        string sample = Path.Combine(root, "tinyfact");
        Directory.CreateDirectory(sample);
        await File.WriteAllLinesAsync(Path.Combine(sample, "corpus.jsonl"),
        [
            """{"_id": "d1", "title": "Coffee and sleep", "text": "Caffeine taken late in the day delays sleep onset.", "metadata": {}}""",
            """{"_id": "d2", "title": "Exercise", "text": "Regular aerobic exercise lowers resting blood pressure.", "metadata": {}}""",
            """{"_id": "d3", "title": "Vitamin D", "text": "Vitamin D deficiency is common in northern winters.", "metadata": {}}""",
        ]);
        await File.WriteAllLinesAsync(Path.Combine(sample, "queries.jsonl"), ["""{"_id": "q1", "text": "does caffeine delay sleep", "metadata": {}}"""]);
        string data = Path.Combine(root, "data");
        var ports = new Ports(FreePort.OnLoopback(), FreePort.OnLoopback(), FreePort.OnLoopback());

        await using (var first = StartServe(sample, data, ports))
        {
            await first.WaitForLineAsync(l => l.Contains("Press Ctrl+C to stop", StringComparison.Ordinal), StartTimeout);
            Assert.Contains(first.Lines, l => l.StartsWith("indexed 3 docs into tinyfact", StringComparison.Ordinal));
            Assert.Contains(first.Lines, l => l.Contains($"console:  http://127.0.0.1:{ports.Http}/", StringComparison.Ordinal));
            Assert.Contains(first.Lines, l => l.Contains("moss:     moss query tinyfact \"does caffeine delay sleep\"", StringComparison.Ordinal));

            // The printed curl command, sent as curl would send it, answers with the sample's documents.
            var curl = CurlLine().Match(Assert.Single(first.Lines, l => l.Contains("curl:", StringComparison.Ordinal)));
            Assert.True(curl.Success);
            using var http = new HttpClient();
            using var response = await http.PostAsync(curl.Groups["url"].Value, new StringContent(curl.Groups["body"].Value, Encoding.UTF8, curl.Groups["type"].Value));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("d1", (string?)answer["docs"]![0]!["id"]);

            await StopAsync(first, ports, "INT");
        }

        await using (var second = StartServe(sample, data, ports))
        {
            await second.WaitForLineAsync(l => l.Contains("Press Ctrl+C to stop", StringComparison.Ordinal), StartTimeout);
            Assert.Contains(second.Lines, l => l.Contains("loaded the stored index tinyfact: 3 docs", StringComparison.Ordinal));
            Assert.DoesNotContain(second.Lines, l => l.StartsWith("indexed ", StringComparison.Ordinal));
            await StopAsync(second, ports, "TERM");
        }
    }

    private static ChildProcess StartServe(string sample, string data, Ports ports) =>
        Moss.Start(["serve", "--port", ports.Http.ToString(CultureInfo.InvariantCulture), "--sample", sample, "--data", data], new Dictionary<string, string>
        {
            ["Moss__Silo__SiloPort"] = ports.Silo.ToString(CultureInfo.InvariantCulture),
            ["Moss__Silo__GatewayPort"] = ports.Gateway.ToString(CultureInfo.InvariantCulture),
        });

    /// <summary>SIGINT (as Ctrl+C sends) or SIGTERM: the process ends by itself with 0, saying so, and nothing listens on its ports any more.</summary>
    private static async Task StopAsync(ChildProcess serve, Ports ports, string signal)
    {
        Assert.Equal(0, await serve.SignalAsync(signal));
        await serve.Exited.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(serve.ExitCode == 0, string.Join('\n', serve.Lines.TakeLast(20)));
        Assert.Contains(serve.Lines, l => l.Contains("moss serve stopped", StringComparison.Ordinal));
        foreach (int port in new[] { ports.Http, ports.Silo, ports.Gateway })
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync("127.0.0.1", port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    private sealed record Ports(int Http, int Silo, int Gateway);

    [GeneratedRegex(@"curl -s -X POST (?<url>\S+) -H 'Content-Type: (?<type>[^']+)' -d '(?<body>[^']*)'")]
    private static partial Regex CurlLine();
}
