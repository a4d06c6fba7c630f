using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MossGrains.Client;
using MossGrains.Engine.Embedding;
using MossGrains.IndexStore;
using MossGrains.IndexStore.FileSystem;
using MossGrains.Testing;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace MossGrains.Grains.Tests;

/// <summary>
/// Two in-process silos (Orleans TestingHost) with MossGrains' grains, memory grain storage and a filesystem index store
/// in a temporary folder; models: the shipped default (counting its calls) and <see cref="GatedEmbedder"/>.
/// </summary>
public sealed class SessionClusterFixture : IAsyncLifetime
{
    /// <summary>What one call may carry in this cluster (small, so the size-limit test need not build 100 MB).</summary>
    public const int MaxMessageBytes = 2 * 1024 * 1024;

    private readonly string _root = Directory.CreateTempSubdirectory("moss-grains-").FullName;
    private InProcessTestCluster? _cluster;

    public SessionClusterFixture()
    {
        Store = new GatedIndexStore(new FileSystemIndexStore(
            Options.Create(new FileSystemIndexStoreOptions { RootDirectory = _root, PruneGrace = TimeSpan.FromMinutes(10) }), TimeProvider.System));
        (Catalog, Counter) = CountingEmbedder.DefaultModelCatalog();
        Gated = new GatedEmbedder(Counter);
        Catalog.RegisterModel(GatedEmbedder.Id, _ => Gated);
    }

    public EmbedderCatalog Catalog { get; }

    public CountingEmbedder Counter { get; }

    public GatedEmbedder Gated { get; }

    public string StoreRoot => _root;

    /// <summary>The silos' index store (every silo shares it, as they share a folder or a container in production).</summary>
    public GatedIndexStore Store { get; }

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public IClusterClient Client => Cluster.Client;

    public IMossClient Moss { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Gated embeddings block thread-pool threads on purpose; do not let that starve the silos on a 2-core machine.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(Catalog);
            silo.Services.AddSingleton<IIndexStore>(Store);
            silo.AddMemoryGrainStorage(MossGrainStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddMossGrains(o => o.CheckpointInterval = TimeSpan.FromMinutes(10));
            silo.Configure<MessagingOptions>(o => o.MaxMessageBodySize = MaxMessageBytes);
        });
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = MaxMessageBytes));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        Moss = MossClient.FromOrleansClient(_cluster.Client);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }
}
