using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Runtime.GrainDirectory;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Reminders;

namespace MossGrains.Runtime.Hosting;

/// <summary>
/// The silo's life cycle as a hosted service. Start: bind the HTTP/2 endpoint (learning the port),
/// prepare the grain directory's storage, join the cluster, start reminders and idle collection. Stop: announce shutting down, stop
/// reminders, deactivate every activation (OnDeactivateAsync runs), leave the cluster, close the
/// endpoint. A silo that learns it was declared dead stops its host.
/// </summary>
internal sealed class Silo(
    LocalSiloDetails localSilo,
    SiloMessagingServer server,
    IGrainDirectory directory,
    ISiloMembership membership,
    IClusterMembershipView membershipView,
    ReminderService reminders,
    Catalog.Catalog catalog,
    TimeProvider timeProvider,
    IOptions<SiloOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<Silo> logger) : IHostedService
{
    private readonly SiloOptions siloOptions = options.Value;

    /// <summary>This silo's address once started.</summary>
    public SiloAddress SiloAddress => localSilo.SiloAddress;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int port = await server.StartAsync(siloOptions.Host, siloOptions.Port, cancellationToken).ConfigureAwait(false);
        localSilo.SiloAddress = new SiloAddress(siloOptions.Host, port, timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        await directory.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await membership.JoinAsync(cancellationToken).ConfigureAwait(false);
        await reminders.StartAsync(cancellationToken).ConfigureAwait(false);
        catalog.StartCollector();
        _ = membershipView.DeclaredDead.ContinueWith(
            _ =>
            {
                logger.DeclaredDead(localSilo.SiloAddress);
                lifetime.StopApplication();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        logger.SiloStarted(localSilo.SiloAddress, membershipView.Current.GetStatus(localSilo.SiloAddress));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!localSilo.IsStarted)
        {
            return;
        }

        logger.SiloStopping(localSilo.SiloAddress, catalog.ActivationCount);
        bool dead = membershipView.DeclaredDead.IsCompleted;
        if (!dead)
        {
            await membership.BeginLeaveAsync(cancellationToken).ConfigureAwait(false);
        }

        reminders.Stop();
        await catalog.DeactivateAllAsync(cancellationToken).ConfigureAwait(false);
        if (!dead)
        {
            await membership.LeaveAsync(cancellationToken).ConfigureAwait(false);
        }

        await server.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
