using MossGrains.Engine.Embedding;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Client.Embedded;

/// <summary>Options of embedded mode: sessions in this process, index binaries in a local folder.</summary>
public sealed class EmbeddedMossOptions
{
    /// <summary>Folder of pushed index binaries and logs. Default <c>moss-data</c> under the working directory.</summary>
    public string IndexFolder { get; set; } = "moss-data";

    /// <summary>Models sessions can name. Default: a catalog with the built-in models.</summary>
    public EmbedderCatalog? Catalog { get; set; }

    /// <summary>Default model and durability, checkpoint rules, engine limits. In embedded mode the default durability is Ephemeral (memory until pushed).</summary>
    public DurableSessionOptions Sessions { get; set; } = new() { DefaultDurability = Grains.Sessions.SessionDurability.Ephemeral };

    /// <summary>Most distinct indexes one <see cref="IMossClient.QueryIndexesAsync"/> may name. Default 32 (<see cref="Cluster.MossClusterClientOptions.DefaultMaxIndexesPerQuery"/>).</summary>
    public int MaxIndexesPerQuery { get; set; } = Cluster.MossClusterClientOptions.DefaultMaxIndexesPerQuery;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
