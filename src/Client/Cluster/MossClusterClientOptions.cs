using MossGrains.Client.Security;
using MossGrains.Engine.Embedding;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Client.Cluster;

/// <summary>How <see cref="MossClient.ConnectAsync"/> reaches a cluster.</summary>
public sealed class MossClusterClientOptions
{
    /// <summary>Gateways as <c>host:port</c> (static list). Empty = discover the cluster's gateways in Azure Table storage through <see cref="StorageConnectionString"/>.</summary>
    public IList<string> Gateways { get; } = [];

    /// <summary>The cluster's Azure Storage connection string: gateway discovery when <see cref="Gateways"/> is empty, and the index store of local sessions.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>Local sessions of a single-node silo: its index folder (used when <see cref="StorageConnectionString"/> is not set).</summary>
    public string? IndexFolder { get; set; }

    /// <summary>Must match the silos' <c>Moss:Silo:ClusterId</c>. Default <c>moss</c>.</summary>
    public string ClusterId { get; set; } = "moss";

    /// <summary>Must match the silos' <c>Moss:Silo:ServiceId</c>. Default <c>moss</c>.</summary>
    public string ServiceId { get; set; } = "moss";

    /// <summary>
    /// The project this client is bound to, as an HTTP caller is by its key: every call carries it with <see cref="Key"/>,
    /// and the silos refuse a call to another project's session, index or job (<c>ProjectAccessDeniedException</c>).
    /// Null (default): the client is not bound, and silos with project keys configured refuse its calls.
    /// </summary>
    public string? Project { get; set; }

    /// <summary>The project's key (one of the silos' <c>Moss:Http:Projects:{project}:Keys</c>). Required by silos that have keys configured.</summary>
    public string? Key { get; set; }

    /// <summary>Mutual TLS to the gateways: this client's certificate and the authority the silos' certificates chain to. Off by default; must be on when the silos' <c>Moss:Silo:Tls</c> is.</summary>
    public MossTlsOptions Tls { get; set; } = new();

    /// <summary>How long <see cref="MossClient.ConnectAsync"/> tries to connect before it gives up with a <see cref="TimeoutException"/>. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call waits for its answer. Default 30 s (Orleans' default).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Default of <see cref="MaxIndexesPerQuery"/>.</summary>
    public const int DefaultMaxIndexesPerQuery = 32;

    /// <summary>
    /// Most distinct indexes one <see cref="IMossClient.QueryIndexesAsync"/> may name; more are refused before any grain is
    /// called. Default <see cref="DefaultMaxIndexesPerQuery"/> (32); a silo reads <c>Moss:Indexes:MaxIndexesPerQuery</c>.
    /// </summary>
    public int MaxIndexesPerQuery { get; set; } = DefaultMaxIndexesPerQuery;

    internal int CheckedMaxIndexesPerQuery => MaxIndexesPerQuery >= 1
        ? MaxIndexesPerQuery
        : throw new ArgumentOutOfRangeException(nameof(MaxIndexesPerQuery), MaxIndexesPerQuery, "MaxIndexesPerQuery must be at least 1.");

    /// <summary>
    /// How long an idempotent call (a query, a read, an upsert or delete by id, an open, a load, a write with an
    /// idempotency key) is sent again through a failover's transient failures before it fails with
    /// <see cref="MossUnavailableException"/>. Default 10 s: with the silos' <c>Fast</c> failure detection a killed silo's
    /// grains answer on a survivor within it. <see cref="TimeSpan.Zero"/>: no retries. A single attempt is bounded by
    /// <see cref="ResponseTimeout"/>, not by this.
    /// </summary>
    public TimeSpan RetryDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Models local sessions can use. Default: the built-in catalog.</summary>
    public EmbedderCatalog? Catalog { get; set; }

    /// <summary>Defaults of local sessions (durability Ephemeral: they live until pushed back).</summary>
    public DurableSessionOptions LocalSessions { get; set; } = new() { DefaultDurability = Grains.Sessions.SessionDurability.Ephemeral };

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The blob container the silos keep index binaries in (<c>moss-{ServiceId}-indexes</c>).</summary>
    public string IndexContainerName => $"moss-{ServiceId}-indexes";
}
