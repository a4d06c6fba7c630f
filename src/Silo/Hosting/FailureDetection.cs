using Orleans.Configuration;

namespace MossGrains.Silo.Hosting;

/// <summary>The membership settings of <see cref="FailureDetectionProfile.Fast"/> (measured in docs/cluster.md).</summary>
internal static class FailureDetection
{
    public static void ApplyFast(ClusterMembershipOptions membership)
    {
        // Each silo probes its neighbours every ProbeTimeout; two missed probes make a suspicion, two suspicions a death.
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 2;
        // Survivors re-read the membership table often, so they learn of a death (and stop routing to it) quickly.
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
