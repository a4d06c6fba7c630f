namespace MossGrains.Runtime.Membership;

/// <summary>
/// Failure detection and table upkeep of <see cref="MembershipService"/>. Defaults follow Orleans'
/// ClusterMembershipOptions, with probing shortened (Orleans: 5 s) so that a crashed silo is
/// declared dead within 15 s: worst case about
/// <c>(NumMissedProbesLimit + 1) × ProbePeriod + ProbeTimeout</c> = 4 × 3 s + 3 s = 15 s
/// (docs/runtime-cluster.md derives it).
/// </summary>
public sealed class MembershipOptions
{
    /// <summary>How often each active silo probes every other active silo. Default: 3 s.</summary>
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A probe without an answer within this time is a missed probe. Default: 3 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Consecutive missed probes after which the prober votes the silo suspect. Default: 3.</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Fresh suspect votes needed to declare a silo dead. Default: 2. The number used is
    /// <c>max(1, min(NumVotesForDeathDeclaration, ⌈active / 2⌉))</c> where <c>active</c> counts the
    /// Active rows including the suspect, so with 2 active silos one vote suffices; and 1 when the
    /// suspect's IAmAlive is also stale (older than <see cref="IAmAliveStaleAge"/>).
    /// </summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>Suspect votes older than this no longer count. Default: 2 min (as Orleans).</summary>
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a silo writes its IAmAlive time. Default: 30 s (Orleans: 5 min).</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Missed IAmAlive writes after which a row is stale: a Joining or ShuttingDown silo with a
    /// stale row is declared dead without probing (it crashed there), and an unanswering Active
    /// silo with a stale row needs one vote. Default: 3 (stale after 90 s).
    /// </summary>
    public int NumMissedIAmAliveLimit { get; set; } = 3;

    /// <summary>How often the table is read even without a change notification. Default: 10 s (Orleans: 60 s).</summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Dead rows whose IAmAlive is older than this are deleted. Default: 7 days (as Orleans).</summary>
    public TimeSpan DefunctSiloExpiration { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often dead rows are cleaned up. Default: 1 h (as Orleans).</summary>
    public TimeSpan DefunctSiloCleanupPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The age at which a row counts as stale: <see cref="IAmAlivePeriod"/> × <see cref="NumMissedIAmAliveLimit"/>.</summary>
    public TimeSpan IAmAliveStaleAge => IAmAlivePeriod * NumMissedIAmAliveLimit;

    /// <summary>
    /// Settings for tests on one (busy) machine: probes every 250 ms with a 2 s timeout, IAmAlive
    /// every 500 ms, table read every 1 s. A killed silo (connections refused) is declared dead in
    /// about 0.75 s; one that hangs within (3 + 1) × 0.25 s + 2 s = 3 s.
    /// </summary>
    public static MembershipOptions ForTests() => new()
    {
        ProbePeriod = TimeSpan.FromMilliseconds(250),
        ProbeTimeout = TimeSpan.FromSeconds(2),
        IAmAlivePeriod = TimeSpan.FromMilliseconds(500),
        TableRefreshPeriod = TimeSpan.FromSeconds(1),
        DeathVoteExpiration = TimeSpan.FromSeconds(30),
    };

    internal void Validate()
    {
        Positive(ProbePeriod, nameof(ProbePeriod));
        Positive(ProbeTimeout, nameof(ProbeTimeout));
        Positive(DeathVoteExpiration, nameof(DeathVoteExpiration));
        Positive(IAmAlivePeriod, nameof(IAmAlivePeriod));
        Positive(TableRefreshPeriod, nameof(TableRefreshPeriod));
        Positive(DefunctSiloExpiration, nameof(DefunctSiloExpiration));
        Positive(DefunctSiloCleanupPeriod, nameof(DefunctSiloCleanupPeriod));
        AtLeastOne(NumMissedProbesLimit, nameof(NumMissedProbesLimit));
        AtLeastOne(NumVotesForDeathDeclaration, nameof(NumVotesForDeathDeclaration));
        AtLeastOne(NumMissedIAmAliveLimit, nameof(NumMissedIAmAliveLimit));
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"MembershipOptions.{name} must be positive.");
        }
    }

    private static void AtLeastOne(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"MembershipOptions.{name} must be at least 1.");
        }
    }
}
