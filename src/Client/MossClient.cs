using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Client.Cluster;
using MossGrains.Client.Embedded;
using MossGrains.Client.Failover;
using MossGrains.Client.Security;
using MossGrains.Grains.Naming;
using MossGrains.IndexStore;
using MossGrains.IndexStore.AzureBlob;
using Orleans.Configuration;

namespace MossGrains.Client;

/// <summary>Builds an <see cref="IMossClient"/> without a host of your own. In an app with a host, use <c>services.AddMossClient()</c>.</summary>
public static class MossClient
{
    /// <summary>Embedded mode: sessions in this process, index binaries in <see cref="EmbeddedMossOptions.IndexFolder"/>, no cluster.</summary>
    public static IMossClient CreateEmbedded(EmbeddedMossOptions? options = null, ILoggerFactory? loggers = null) =>
        EmbeddedMossClient.Create(options ?? new EmbeddedMossOptions(), loggers);

    /// <summary>
    /// Connects to a cluster (starting an Orleans client of its own, stopped when the client is disposed). A client that
    /// cannot connect within <see cref="MossClusterClientOptions.ConnectTimeout"/> (no gateway answers, or TLS refuses
    /// its certificate) gets a <see cref="TimeoutException"/> saying what to check.
    /// </summary>
    public static async Task<IMossClient> ConnectAsync(MossClusterClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => ConfigureOrleansClient(client, options));
        var host = builder.Build();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(options.ConnectTimeout);
        try
        {
            await host.StartAsync(bounded.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new TimeoutException(
                $"Could not connect to cluster '{options.ClusterId}' within {options.ConnectTimeout.TotalSeconds:0.#} s (MossClusterClientOptions.ConnectTimeout) through " +
                (options.Gateways.Count > 0 ? $"gateways {string.Join(", ", options.Gateways)}" : "the gateways listed in its storage account") +
                (options.Tls.Enabled
                    ? ". TLS is on: the silos must accept this client's certificate (issued by their Moss:Silo:Tls:CaCertificateFile authority), and theirs must chain to MossClusterClientOptions.Tls.CaCertificateFile; a silo logs the certificate it refused."
                    : ". If the silos run TLS (Moss:Silo:Tls), set MossClusterClientOptions.Tls with a certificate of their authority."),
                e);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        var local = LocalSessionsFor(options, host.Services.GetService<ILoggerFactory>());
        long maxBytes = host.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.MaxMessageBodySize;
        return new ClusterMossClient(host.Services.GetRequiredService<IClusterClient>(), maxBytes, options.CheckedMaxIndexesPerQuery, local, CallsFor(options), options.TimeProvider, new OwnedHost(host));
    }

    /// <summary>Cluster mode over an Orleans client you already run (it stays yours: disposing the Moss client does not stop it).</summary>
    public static IMossClient FromOrleansClient(IClusterClient client, MossClusterClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new MossClusterClientOptions();
        if (options.Project is { } project && !client.ServiceProvider.GetServices<IOutgoingGrainCallFilter>().OfType<ProjectCredentialFilter>().Any(f => f.Project == project))
        {
            throw new InvalidOperationException(
                $"MossClusterClientOptions.Project is '{project}', but this Orleans client does not carry that project's credential: build it with MossClient.ConfigureOrleansClient(clientBuilder, options).");
        }

        long maxBytes = client.ServiceProvider.GetService<IOptions<ClientMessagingOptions>>()?.Value.MaxMessageBodySize ?? new ClientMessagingOptions().MaxMessageBodySize;
        return new ClusterMossClient(client, maxBytes, options.CheckedMaxIndexesPerQuery, LocalSessionsFor(options, client.ServiceProvider.GetService<ILoggerFactory>()), CallsFor(options), options.TimeProvider, ownedHost: null);
    }

    /// <summary>Section named in the errors of <see cref="MossClusterClientOptions.Tls"/>.</summary>
    internal const string TlsSection = nameof(MossClusterClientOptions) + ".Tls";

    /// <summary>
    /// Orleans client settings for <paramref name="options"/>: static gateways or Azure Table discovery, response timeout,
    /// TLS (<see cref="MossClusterClientOptions.Tls"/>) and the project credential every call carries
    /// (<see cref="MossClusterClientOptions.Project"/>, <see cref="MossClusterClientOptions.Key"/>).
    /// </summary>
    public static void ConfigureOrleansClient(IClientBuilder client, MossClusterClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Project is { } project)
        {
            _ = IndexKey.For(project, "credential-check");
            client.AddOutgoingGrainCallFilter(new ProjectCredentialFilter(project, string.IsNullOrEmpty(options.Key) ? null : options.Key));
        }
        else if (!string.IsNullOrEmpty(options.Key))
        {
            throw new ArgumentException("MossClusterClientOptions.Key is set without MossClusterClientOptions.Project: name the project the key belongs to.", nameof(options));
        }

        if (options.Tls.Enabled)
        {
            new MossTlsConnections(options.Tls, TlsSection).Apply(client);
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
        if (options.Gateways.Count > 0)
        {
            client.UseStaticClustering([.. options.Gateways.Select(ParseEndpoint)]);
        }
        else if (!string.IsNullOrWhiteSpace(options.StorageConnectionString))
        {
            string connection = options.StorageConnectionString;
            client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
        }
        else
        {
            throw new ArgumentException("Name the cluster's gateways (MossClusterClientOptions.Gateways) or its StorageConnectionString.", nameof(options));
        }
    }

    private static ClusterCalls CallsFor(MossClusterClientOptions options) =>
        options.RetryDeadline >= TimeSpan.Zero
            ? new ClusterCalls(options.RetryDeadline, options.TimeProvider)
            : throw new ArgumentOutOfRangeException(nameof(options), options.RetryDeadline, "MossClusterClientOptions.RetryDeadline must be zero (no retries) or positive.");

    internal static LocalSessionRegistry? LocalSessionsFor(MossClusterClientOptions options, ILoggerFactory? loggers)
    {
        IIndexStore? store = !string.IsNullOrWhiteSpace(options.StorageConnectionString)
            ? new AzureBlobIndexStore(Options.Create(new AzureBlobIndexStoreOptions { ConnectionString = options.StorageConnectionString, ContainerName = options.IndexContainerName }), options.TimeProvider)
            : options.IndexFolder is { } folder ? LocalSessionRegistry.FolderStore(folder, options.TimeProvider) : null;
        return store is null ? null : LocalSessionRegistry.Create(store, options.Catalog, options.LocalSessions, options.TimeProvider, loggers, "MossGrains.LocalSessions");
    }

    private static IPEndPoint ParseEndpoint(string gateway)
    {
        int colon = gateway.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(gateway.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"Gateway '{gateway}' is not host:port.", nameof(gateway));
        }

        string host = gateway[..colon];
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new ArgumentException($"Gateway host '{host}' does not resolve.", nameof(gateway));
        return new IPEndPoint(address, port);
    }

    private sealed class OwnedHost(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
