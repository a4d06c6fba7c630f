using MossGrains.Client;
using MossGrains.Client.Cluster;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;

namespace MossGrains.Bench.Cluster;

/// <summary>Silo processes of one cluster on a shared Azurite, for the cluster benchmark.</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private BenchCluster(Azurite azurite, string clusterId, SiloProcess[] silos)
    {
        Azurite = azurite;
        ClusterId = clusterId;
        Silos = silos;
    }

    public Azurite Azurite { get; }

    public string ClusterId { get; }

    public SiloProcess[] Silos { get; }

    public static async Task<BenchCluster> StartAsync(Azurite azurite, int silos, string failureDetection)
    {
        string clusterId = $"b{Guid.NewGuid():N}"[..13];
        var settings = new Dictionary<string, string>
        {
            ["Moss:Silo:FailureDetection"] = failureDetection,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MossGrains.Silo"] = "Information",
        };
        var started = await SiloProcess.StartManyAsync(silos, "bench", azurite.ConnectionString, clusterId, settings);
        return new BenchCluster(azurite, clusterId, started);
    }

    public Task<IMossClient> ClientAsync(TimeSpan responseTimeout, params int[] gateways)
    {
        var options = new MossClusterClientOptions { ClusterId = ClusterId, ServiceId = ClusterId, ResponseTimeout = responseTimeout };
        foreach (int i in gateways)
        {
            options.Gateways.Add(Silos[i].Gateway);
        }

        return MossClient.ConnectAsync(options);
    }

    public SiloProcess HostOf(SessionInfo info) => Silos.Single(s => info.Silo.Contains($"127.0.0.1:{s.SiloPort}:", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
    }
}
