using MossGrains.Client.Embedded;
using MossGrains.Client.Failover;
using MossGrains.Client.Sessions;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Sessions;

namespace MossGrains.Client.Cluster;

/// <summary>Cluster mode: sessions are <see cref="ISessionGrain"/>s reached through an Orleans client (loaded indexes and jobs: ClusterMossClient.Indexes.cs).</summary>
internal sealed partial class ClusterMossClient(
    IGrainFactory grains, long maxMessageBytes, int maxIndexesPerQuery, LocalSessionRegistry? localSessions, ClusterCalls calls, TimeProvider time, IAsyncDisposable? ownedHost) : IMossClient
{
    public async Task<IMossSession> SessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SessionOptions();
        string key = IndexKey.For(options.Project, name);
        var grain = grains.GetGrain<ISessionGrain>(key);
        var request = new SessionOpenRequest(options.ModelId, options.Durability);
        await calls.RetriedAsync(() => grain.OpenAsync(request, cancellationToken), cancellationToken); // create-or-resume: idempotent
        return new GrainSession(grain, key, name, maxMessageBytes, calls);
    }

    public Task<IMossSession> ResumeSessionAsync(string name, string project = IndexKey.DefaultProject, CancellationToken cancellationToken = default)
    {
        string key = IndexKey.For(project, name);
        return Task.FromResult<IMossSession>(new GrainSession(grains.GetGrain<ISessionGrain>(key), key, name, maxMessageBytes, calls));
    }

    public Task<IMossSession> LocalSessionAsync(string name, SessionOptions? options = null, CancellationToken cancellationToken = default) =>
        localSessions is null
            ? throw new InvalidOperationException(
                "A local session reads the cluster's index store: set MossClusterClientOptions.StorageConnectionString (or IndexFolder for a single-node silo).")
            : localSessions.OpenAsync(name, options, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (localSessions is not null)
        {
            await localSessions.DisposeAsync();
        }

        if (ownedHost is not null)
        {
            await ownedHost.DisposeAsync();
        }
    }
}
