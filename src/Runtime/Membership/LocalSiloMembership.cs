using MossGrains.Runtime.Hosting;

namespace MossGrains.Runtime.Membership;

/// <summary>Joining and leaving a single-process cluster: just status changes of the local view.</summary>
internal sealed class LocalSiloMembership(LocalSiloMembershipView view, LocalSiloDetails localSilo) : ISiloMembership
{
    public Task JoinAsync(CancellationToken cancellationToken)
    {
        view.SetStatus(localSilo.SiloAddress, SiloStatus.Active);
        return Task.CompletedTask;
    }

    public Task BeginLeaveAsync(CancellationToken cancellationToken)
    {
        view.SetStatus(localSilo.SiloAddress, SiloStatus.ShuttingDown);
        return Task.CompletedTask;
    }

    public Task LeaveAsync(CancellationToken cancellationToken)
    {
        view.SetStatus(localSilo.SiloAddress, SiloStatus.Dead);
        return Task.CompletedTask;
    }
}
