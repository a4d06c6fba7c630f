namespace MossGrains.Runtime.Hosting;

/// <summary>How the silo enters and leaves its cluster (localhost: trivially; PostgreSQL: the membership protocol).</summary>
internal interface ISiloMembership
{
    /// <summary>Joins the cluster; on return this silo is active.</summary>
    Task JoinAsync(CancellationToken cancellationToken);

    /// <summary>Marks this silo as shutting down so no new activations are placed on it.</summary>
    Task BeginLeaveAsync(CancellationToken cancellationToken);

    /// <summary>Leaves the cluster cleanly (the row ends as dead, written by this silo itself).</summary>
    Task LeaveAsync(CancellationToken cancellationToken);
}
