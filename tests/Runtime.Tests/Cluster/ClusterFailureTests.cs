using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Reminders;
using MossGrains.Runtime.TestSilo;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>
/// Silo processes that die (kill -9) or leave (SIGTERM), each test on its own fresh 3-silo cluster.
/// Other processes' writes to PostgreSQL raise no event here, so those are polled with a bounded deadline.
/// </summary>
[Collection(MultiProcessTestGroup.Name)]
public sealed class ClusterFailureTests
{
    /// <summary>Detection with MembershipOptions.ForTests() is ≤ 3 s (docs/runtime-cluster.md); the rest is slack for a loaded machine.</summary>
    private static readonly TimeSpan DetectionDeadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_killed_silo_is_declared_dead_its_directory_entries_go_and_its_grains_reactivate_on_survivors()
    {
        await using var cluster = await ClusterFixture.StartAsync(3);
        var victim = cluster.Silos[2];
        string[] victimKeys = await ActivateUntilOnAsync(cluster, victim, 10);
        Assert.True(await cluster.CountDirectoryEntriesAsync(victim.Address, CancellationToken.None) >= victimKeys.Length);

        victim.KillHard();

        Assert.True(
            await ClusterFixture.EventuallyAsync(async () => await cluster.ReadStatusAsync(victim.Address, CancellationToken.None) == SiloStatus.Dead, DetectionDeadline),
            $"The killed silo was not declared dead within {DetectionDeadline}.\n{cluster.Output}");
        Assert.True(
            await ClusterFixture.EventuallyAsync(async () => await cluster.CountDirectoryEntriesAsync(victim.Address, CancellationToken.None) == 0, DetectionDeadline),
            $"The killed silo's directory entries are still there.\n{cluster.Output}");
        string[] survivors = [cluster.Silos[0].Address.ToString(), cluster.Silos[1].Address.ToString()];
        foreach (string key in victimKeys)
        {
            var answer = await cluster.Clients[0].GetGrain<IProbeGrain>(key).WhereAsync();
            Assert.Contains(answer.Silo, survivors);
        }

        Assert.All(survivors, s => Assert.False(cluster.Silos.Single(p => p.Address.ToString() == s).HasExited));
    }

    [Fact]
    public async Task SIGTERM_deactivates_the_silos_grains_leaves_the_cluster_cleanly_and_calls_continue_on_survivors()
    {
        await using var cluster = await ClusterFixture.StartAsync(3);
        var leaving = cluster.Silos[2];
        string[] keys = await ActivateUntilOnAsync(cluster, leaving, 10);

        await leaving.StopGracefullyAsync(TimeSpan.FromSeconds(30));

        var deactivated = (await cluster.ReadEventsAsync(TestEventLog.Deactivated, CancellationToken.None))
            .Where(e => e.Silo == leaving.Address.ToString()).Select(e => e.Key).ToHashSet();
        Assert.All(keys, key => Assert.Contains(key, deactivated));
        // It wrote Dead itself after ShuttingDown: nobody had to vote it out.
        Assert.Equal(SiloStatus.Dead, await cluster.ReadStatusAsync(leaving.Address, CancellationToken.None));
        Assert.Equal("", await cluster.ReadSuspectVotesAsync(leaving.Address, CancellationToken.None));
        Assert.Contains("MOSS-SILO-STOPPED", leaving.Output, StringComparison.Ordinal);
        Assert.Equal(0, await cluster.CountDirectoryEntriesAsync(leaving.Address, CancellationToken.None));
        foreach (string key in keys)
        {
            var answer = await cluster.Clients[0].GetGrain<IProbeGrain>(key).WhereAsync();
            Assert.NotEqual(leaving.Address.ToString(), answer.Silo);
        }
    }

    [Fact]
    public async Task A_reminder_owned_by_a_killed_silo_fires_on_a_survivor_within_one_period_plus_detection()
    {
        await using var cluster = await ClusterFixture.StartAsync(3);
        var victim = cluster.Silos[2];
        var owned = ReminderService.ComputeOwnedRanges(cluster.Silos.Select(s => s.Address), victim.Address);
        string key = Enumerable.Range(0, 10_000).Select(i => $"reminder-{i}")
            .First(k => owned.Any(r => RingRange.Contains(r.Start, r.End, new GrainId("mp-reminder", k).GetUniformHashCode())));
        await cluster.Clients[0].GetGrain<IReminderProbeGrain>(key).StartAsync(ClusterFixture.ReminderPeriod);
        Assert.True(
            await ClusterFixture.EventuallyAsync(async () => (await TicksAsync(cluster, key)).Count > 0, TimeSpan.FromSeconds(10)),
            $"The reminder never ticked.\n{cluster.Output}");

        victim.KillHard();
        var killedAt = await cluster.DatabaseNowAsync(CancellationToken.None);
        var deadline = ClusterFixture.ReminderPeriod + DetectionDeadline;
        Assert.True(
            await ClusterFixture.EventuallyAsync(async () => (await TicksAsync(cluster, key)).Any(t => t.At > killedAt), deadline),
            $"No tick after the owner was killed within {deadline}.\n{cluster.Output}");
        var after = (await TicksAsync(cluster, key)).Where(t => t.At > killedAt).ToList();
        Assert.All(after, t => Assert.NotEqual(victim.Address.ToString(), t.Silo));
    }

    private static async Task<List<(string Silo, DateTime At)>> TicksAsync(ClusterFixture cluster, string key) =>
        [.. (await cluster.ReadEventsAsync(TestEventLog.Tick, CancellationToken.None)).Where(e => e.Key == key).Select(e => (e.Silo, e.At))];

    /// <summary>Activates fresh probe grains until <paramref name="count"/> of them live on <paramref name="silo"/>; returns their keys.</summary>
    private static async Task<string[]> ActivateUntilOnAsync(ClusterFixture cluster, SiloProcess silo, int count)
    {
        var keys = new List<string>();
        for (int batch = 0; keys.Count < count; batch++)
        {
            Assert.True(batch < 20, $"20 batches of 30 grains placed fewer than {count} on {silo.Address}.");
            string[] candidates = [.. Enumerable.Range(0, 30).Select(i => $"probe-{batch}-{i}-{Guid.NewGuid():N}")];
            var answers = await Task.WhenAll(candidates.Select(k => cluster.Clients[0].GetGrain<IProbeGrain>(k).WhereAsync()));
            keys.AddRange(candidates.Where((_, i) => answers[i].Silo == silo.Address.ToString()));
        }

        return [.. keys];
    }
}
