namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>The multi-process test classes run one after the other: each starts several silo processes on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class MultiProcessTestGroup
{
    public const string Name = "Multi-process cluster";
}

/// <summary>One 3-silo cluster shared by the tests that leave it intact.</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    public ClusterFixture Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ClusterFixture.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
