namespace MossGrains.Runtime.Membership;

/// <summary>Life cycle of a silo as recorded in the membership table.</summary>
public enum SiloStatus
{
    None = 0,
    Joining = 1,
    Active = 2,
    ShuttingDown = 3,
    Dead = 4,
}

/// <summary>A vote by <paramref name="Suspector"/> that the row's silo is not answering probes.</summary>
public sealed record SuspectVote(SiloAddress Suspector, DateTimeOffset Time);

/// <summary>One silo's row.</summary>
public sealed record MembershipEntry(
    SiloAddress Silo,
    string SiloName,
    SiloStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset IAmAliveTime,
    IReadOnlyList<SuspectVote> SuspectTimes);

/// <summary>
/// The version of the whole table. Every change to any row also bumps this version with a
/// compare-and-swap on <see cref="ETag"/>, so concurrent writers serialize on it.
/// </summary>
public sealed record TableVersion(int Version, string ETag)
{
    public TableVersion Next() => this with { Version = Version + 1 };
}

/// <summary>A row with the ETag that a conditional update of that row must present.</summary>
public sealed record MembershipRow(MembershipEntry Entry, string ETag);

public sealed record MembershipTableData(IReadOnlyList<MembershipRow> Rows, TableVersion Version);

/// <summary>
/// Storage for cluster membership (the Orleans IMembershipTable contract). Implementations:
/// in-memory (single process) and PostgreSQL.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Creates the cluster's table version row if missing (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a new row; false if the row exists or <paramref name="version"/>'s ETag is stale.</summary>
    Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken);

    /// <summary>Replaces a row; false if either <paramref name="etag"/> or <paramref name="version"/>'s ETag is stale.</summary>
    Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken);

    /// <summary>Writes only the row's IAmAlive time (no version bump, no ETag check).</summary>
    Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken);

    /// <summary>Deletes dead rows whose IAmAlive time is older than <paramref name="beforeDate"/>.</summary>
    Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken);

    /// <summary>Deletes every row of this cluster (tests and tear-down).</summary>
    Task DeleteClusterAsync(CancellationToken cancellationToken);
}
