using MossGrains.Client;
using MossGrains.Client.Cluster;
using MossGrains.Grains.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MossGrains.IndexStore;
using MossGrains.IndexStore.AzureBlob;

namespace MossGrains.Testing;

/// <summary>
/// Azurite plus N silo processes forming one cluster on loopback (fast failure detection, the default profile), and
/// clients pinned to chosen gateways. Disposing stops every process it started, whatever the test did.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<IMossClient> _clients = [];

    private LocalCluster(Azurite azurite, string clusterId, SiloProcess[] silos)
    {
        Azurite = azurite;
        ClusterId = clusterId;
        Silos = silos;
    }

    public Azurite Azurite { get; }

    public string ClusterId { get; }

    public SiloProcess[] Silos { get; }

    /// <summary>
    /// Starts Azurite and <paramref name="silos"/> silos (concurrently, or <paramref name="oneAtATime"/>: each once the one
    /// before is ready); <paramref name="log"/> hears which ports they took.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(int silos, Action<string>? log = null, IReadOnlyDictionary<string, string>? settings = null, bool oneAtATime = false)
    {
        var azurite = await Azurite.StartAsync();
        string clusterId = $"t{Guid.NewGuid():N}"[..13];
        try
        {
            var started = oneAtATime
                ? await SiloProcess.StartOneAtATimeAsync(silos, "silo", azurite.ConnectionString, clusterId, settings)
                : await SiloProcess.StartManyAsync(silos, "silo", azurite.ConnectionString, clusterId, settings);
            log?.Invoke($"cluster {clusterId}: {string.Join(", ", started.Select(s => $"{s.Name} silo {s.SiloPort} gateway {s.GatewayPort}"))}");
            return new LocalCluster(azurite, clusterId, started);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client whose only gateways are <paramref name="gateways"/>.</summary>
    public Task<IMossClient> ClientAsync(TimeSpan responseTimeout, params SiloProcess[] gateways) =>
        ClientAsync(responseTimeout, configure: null, gateways);

    /// <summary>A client whose only gateways are <paramref name="gateways"/>, with further settings (a project and key, TLS).</summary>
    public async Task<IMossClient> ClientAsync(TimeSpan responseTimeout, Action<MossClusterClientOptions>? configure, params SiloProcess[] gateways)
    {
        var options = new MossClusterClientOptions
        {
            ClusterId = ClusterId,
            ServiceId = ClusterId,
            ResponseTimeout = responseTimeout,
            StorageConnectionString = Azurite.ConnectionString,
        };
        foreach (var silo in gateways)
        {
            options.Gateways.Add(silo.Gateway);
        }

        configure?.Invoke(options);
        var client = await MossClient.ConnectAsync(options);
        _clients.Add(client);
        return client;
    }

    /// <summary>A plain Orleans client of the cluster (for management calls), through every silo's gateway.</summary>
    public async Task<OrleansClientHost> OrleansClientAsync(TimeSpan responseTimeout)
    {
        var options = new MossClusterClientOptions { ClusterId = ClusterId, ServiceId = ClusterId, ResponseTimeout = responseTimeout };
        foreach (var silo in Silos.Where(s => !s.HasExited))
        {
            options.Gateways.Add(silo.Gateway);
        }

        return await OrleansClientHost.StartAsync(options);
    }

    /// <summary>
    /// The cluster's index store (its container in Azurite, named as the silos name it), opened from outside the cluster
    /// as another writer or a benchmark would: no grain hears of what is published through it.
    /// </summary>
    public IIndexStore IndexStore() => new AzureBlobIndexStore(Options.Create(new AzureBlobIndexStoreOptions
    {
        ConnectionString = Azurite.ConnectionString,
        ContainerName = new MossClusterClientOptions { ServiceId = ClusterId }.IndexContainerName,
    }), TimeProvider.System);

    /// <summary>The silo a grain reports as its host (<c>SessionInfo.Silo</c>, <c>IndexInfo.Silo</c>, <c>JobStatus.Silo</c>).</summary>
    public SiloProcess HostOf(string silo) =>
        Silos.Single(s => silo.Contains($"127.0.0.1:{s.SiloPort}:", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or Orleans.Runtime.OrleansException)
            {
                // A client whose gateways died may not stop cleanly; its host is gone either way.
            }
        }

        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}

/// <summary>An Orleans client host; disposing stops it.</summary>
public sealed class OrleansClientHost(IHost host) : IAsyncDisposable
{
    /// <summary>Starts a plain Orleans client configured as <see cref="MossClient.ConfigureOrleansClient"/> configures one for <paramref name="options"/>.</summary>
    public static async Task<OrleansClientHost> StartAsync(MossClusterClientOptions options, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(c => MossClient.ConfigureOrleansClient(c, options));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new OrleansClientHost(host);
    }

    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
