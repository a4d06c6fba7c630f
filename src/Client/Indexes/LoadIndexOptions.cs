using MossGrains.Grains.Indexes;
using MossGrains.Grains.Naming;

namespace MossGrains.Client.Indexes;

/// <summary>How <see cref="IMossClient.LoadIndexAsync"/> loads an index and keeps it current.</summary>
public sealed class LoadIndexOptions
{
    /// <summary>Project the index lives in. Default <see cref="IndexKey.DefaultProject"/>.</summary>
    public string Project { get; init; } = IndexKey.DefaultProject;

    /// <summary>Check the store for a newer version every <see cref="PollingInterval"/> and swap to it. Default true.</summary>
    public bool AutoRefresh { get; init; } = true;

    /// <summary>10 s to 1 day. Default 600 s.</summary>
    public TimeSpan PollingInterval { get; init; } = LoadIndexRequest.DefaultPollingInterval;

    /// <summary>
    /// Cluster mode: every silo that receives queries for the index keeps its own copy and answers them locally (read
    /// replicas, more memory, no hop); otherwise queries go to the one silo holding the index. Default false.
    /// </summary>
    public bool ServeFromEverySilo { get; init; }

    internal LoadIndexRequest ToRequest()
    {
        var request = new LoadIndexRequest(AutoRefresh, PollingInterval, ServeFromEverySilo);
        request.Validate();
        return request;
    }
}
