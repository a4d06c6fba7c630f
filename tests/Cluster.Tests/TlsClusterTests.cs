using System.Diagnostics;
using MossGrains.Client;
using MossGrains.Client.Cluster;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Cluster.Tests;

/// <summary>
/// Mutual TLS on real silo processes (<c>Moss:Silo:Tls</c>) with certificates made by the test: silos of a TLS cluster
/// talk to each other, a client with a certificate of the cluster's authority works, and a client with none or with one
/// of another authority cannot connect, failing within a bound.
/// </summary>
public sealed class TlsClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(30);

    private static DocumentInfo Doc(int i) => new($"d{i}", $"note {i}: the customer asked about refund {i}");

    [Fact]
    public async Task A_TLS_cluster_of_two_silos_serves_a_session_through_each_gateway_to_clients_with_the_authoritys_certificate()
    {
        using var certificates = TestCertificates.Create();
        // One at a time: two silos joining at once on a starved machine (both loading the model) can miss the fast
        // profile's 1 s probes during their TLS handshakes, and one declares the other dead.
        await using var cluster = await LocalCluster.StartAsync(2, output.WriteLine, certificates.SiloSettings(), oneAtATime: true);
        var agentA = await cluster.ClientAsync(CallTimeout, o => o.Tls = certificates.Client(), cluster.Silos[0]);
        var agentB = await cluster.ClientAsync(CallTimeout, o => o.Tls = certificates.Client(), cluster.Silos[1]);

        // Agent A writes through silo0's gateway, agent B reads through silo1's: whichever silo hosts a session, one of
        // the two reaches it over the silo-to-silo connection, which is TLS too.
        var hosts = new List<SiloProcess>();
        foreach (string name in new[] { "tls-0", "tls-1", "tls-2" })
        {
            var written = await agentA.SessionAsync(name, new SessionOptions { Durability = SessionDurability.Ephemeral });
            await written.AddDocsAsync([Doc(1), Doc(2)]);
            var read = await agentB.SessionAsync(name);
            Assert.Equal(2, await read.GetDocCountAsync());
            Assert.Equal("d2", (await read.QueryAsync("refund 2", new QueryOptions { TopK = 1, Alpha = 0 })).Docs[0].Id);
            var (writtenInfo, readInfo) = (await written.GetInfoAsync(), await read.GetInfoAsync());
            Assert.Equal(writtenInfo.ActivationId, readInfo.ActivationId);
            hosts.Add(cluster.HostOf(readInfo.Silo));
        }

        output.WriteLine($"sessions hosted on {string.Join(", ", hosts.Select(h => h.Name))}");
        Assert.All(hosts, h => Assert.Contains(h, cluster.Silos));
    }

    [Fact]
    public async Task A_client_without_a_certificate_or_with_another_authoritys_cannot_connect_and_fails_within_a_bound()
    {
        using var certificates = TestCertificates.Create();
        await using var silo = await SiloProcess.StartLocalhostAsync("tls", certificates.SiloSettings());

        await RefusedAsync(silo, tls: null);
        await RefusedAsync(silo, certificates.Client("rogue-client"));
        await silo.Process.WaitForLineAsync(l => l.Contains("Moss:Silo:Tls:CaCertificateFile", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        // The same silo takes a client with the authority's certificate.
        await using var client = await MossClient.ConnectAsync(Options(silo, certificates.Client()));
        Assert.Equal(0, await (await client.SessionAsync("tls-ok")).GetDocCountAsync());
    }

    [Fact]
    public async Task Query_latency_through_the_Orleans_client_with_and_without_TLS()
    {
        using var certificates = TestCertificates.Create();
        var starts = new[] { SiloProcess.StartLocalhostAsync("plain"), SiloProcess.StartLocalhostAsync("tls", certificates.SiloSettings()) };
        await using var plain = await starts[0];
        await using var tls = await starts[1];
        await using var plainClient = await MossClient.ConnectAsync(Options(plain, null));
        await using var tlsClient = await MossClient.ConnectAsync(Options(tls, certificates.Client()));

        var plainLatency = await MeasureAsync(plainClient);
        var tlsLatency = await MeasureAsync(tlsClient);
        output.WriteLine($"query latency over {Queries} queries, Orleans client on loopback: plain p50 {plainLatency.P50:F0} µs p99 {plainLatency.P99:F0} µs; TLS p50 {tlsLatency.P50:F0} µs p99 {tlsLatency.P99:F0} µs");
        Assert.True(tlsLatency.P50 > 0 && plainLatency.P50 > 0);
    }

    private const int Queries = 400;

    private static async Task<(double P50, double P99)> MeasureAsync(IMossClient client)
    {
        var session = await client.SessionAsync("latency", new SessionOptions { Durability = SessionDurability.Ephemeral });
        await session.AddDocsAsync(Enumerable.Range(0, 50).Select(Doc));
        var options = new QueryOptions { TopK = 5, Alpha = 0 };
        for (int i = 0; i < 100; i++)
        {
            await session.QueryAsync("refund 7", options);
        }

        var micros = new double[Queries];
        for (int i = 0; i < Queries; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await session.QueryAsync("refund 7", options);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(micros);
        return (micros[Queries / 2], micros[(int)(Queries * 0.99)]);
    }

    private static MossClusterClientOptions Options(SiloProcess silo, Client.Security.MossTlsOptions? tls)
    {
        var options = new MossClusterClientOptions { ResponseTimeout = CallTimeout, Tls = tls ?? new() };
        options.Gateways.Add(silo.Gateway);
        return options;
    }

    private async Task RefusedAsync(SiloProcess silo, Client.Security.MossTlsOptions? tls)
    {
        var options = Options(silo, tls);
        options.ConnectTimeout = TimeSpan.FromSeconds(10);
        var clock = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var client = await MossClient.ConnectAsync(options);
            await (await client.SessionAsync("tls-refused")).GetDocCountAsync();
        });
        output.WriteLine($"{(tls is null ? "no certificate" : "another authority's certificate")}: refused after {clock.Elapsed.TotalSeconds:F1} s with {refused.GetType().Name}: {refused.Message}");
        Assert.True(clock.Elapsed < RefusalBound, $"the refusal took {clock.Elapsed}");
        if (refused is TimeoutException)
        {
            Assert.Contains("MossClusterClientOptions.Tls", refused.Message, StringComparison.Ordinal);
        }
    }
}
