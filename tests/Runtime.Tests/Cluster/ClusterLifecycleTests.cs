using System.Diagnostics;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Reminders;
using MossGrains.Runtime.Tests.Infrastructure;
using MossGrains.Runtime.TestSilo;
using Xunit.Abstractions;
using static MossGrains.Runtime.Tests.Cluster.ClusterHarness;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>
/// Real silo processes: SIGTERM, reminder ownership moving off a killed silo, and the remote call
/// path (client → gateway silo → another silo) for timeouts and exceptions.
/// </summary>
public sealed class ClusterLifecycleTests(PostgresDatabaseFixture database, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Detection with --fast-membership is ≤ 3 s (docs/runtime-cluster.md); the rest is slack for a loaded 2-core machine.</summary>
    private static readonly TimeSpan DetectionAllowance = TimeSpan.FromSeconds(12);

    [Fact]
    public Task Sigterm_DeactivatesTheSilosGrains_LeavesWithoutBeingVotedOut_AndCallsMoveToTheSurvivor() =>
        WithSilosAsync(database, output, "sigterm", 2, async (cluster, silos) =>
        {
            using var client = ClientFor(silos[0]);
            var leaving = silos[1];
            string[] keys = await KeysLivingOnAsync(client, leaving, 5);

            await leaving.TerminateAsync(TimeSpan.FromSeconds(60));

            foreach (string key in keys)
            {
                Assert.Contains($"DEACTIVATED {key} ShuttingDown", leaving.Lines);
            }

            Assert.Contains("STOPPED", leaving.Lines);
            var row = await ReadRowAsync(database, cluster, leaving.Address);
            Assert.Equal(SiloStatus.Dead, row.Status);
            Assert.Empty(row.SuspectTimes);
            Assert.Equal(0L, await CountDirectoryEntriesAsync(database, cluster, leaving.Address));
            foreach (string key in keys)
            {
                Assert.Equal(silos[0].Address.ToString(), await client.GetGrain<IPingGrain>(key).WhereAsync());
            }
        });

    [Fact]
    public Task A_reminder_owned_by_a_killed_silo_ticks_on_a_survivor_within_one_period_plus_detection() =>
        WithSilosAsync(database, output, "reminder", 3, async (cluster, silos) =>
        {
            using var client = ClientFor(silos[0]);
            var victim = silos[2];
            var survivors = new[] { silos[0], silos[1] };
            // A key whose reminder the victim owns under the three-silo ring.
            var owned = ReminderService.ComputeOwnedRanges(silos.Select(s => s.Address), victim.Address);
            string key = Enumerable.Range(0, 10_000).Select(i => $"owned-{i}")
                .First(k => owned.Any(r => RingRange.Contains(r.Start, r.End, new GrainId(typeof(IReminderProbeGrain).FullName!, k).GetUniformHashCode())));
            await client.GetGrain<IReminderProbeGrain>(key).RegisterAsync("beat", ReminderPeriod);
            bool IsTick(string line) => line.StartsWith($"TICK {key} beat ", StringComparison.Ordinal);
            await Task.WhenAny(silos.Select(s => s.WaitForLineAsync(IsTick, TimeSpan.FromSeconds(20))));

            int[] linesBeforeKill = [.. survivors.Select(s => s.LineCount)];
            var sinceKill = Stopwatch.StartNew();
            victim.Kill();
            // The first tick after the kill may have been sent by the victim just before it died; the second is the new owner's.
            var deadline = 2 * ReminderPeriod + DetectionAllowance;
            while (survivors.Select((s, i) => s.Lines.Skip(linesBeforeKill[i]).Count(IsTick)).Sum() < 2)
            {
                Assert.True(sinceKill.Elapsed < deadline, $"The reminder did not tick twice on a survivor within {deadline} of the kill.");
                await Task.WhenAny(survivors.Select(s => s.WaitForLineAsync(IsTick, deadline - sinceKill.Elapsed, s.LineCount)));
            }

            output.WriteLine($"kill -9 → reminder ticking on a survivor again: {sinceKill.Elapsed.TotalSeconds:F2} s");
            Assert.Equal(SiloStatus.Dead, await ReadStatusAsync(database, cluster, victim.Address));
        });

    [Fact]
    public Task Through_a_gateway_to_another_silo_a_slow_call_times_out_and_an_exception_keeps_its_type_and_message() =>
        WithSilosAsync(database, output, "remote", 2, async (_, silos) =>
        {
            using var client = ClientFor(silos[0]);
            using var impatient = ClientFor(silos[0], responseTimeout: TimeSpan.FromMilliseconds(300));

            string slowKey = (await KeysLivingOnAsync(client, silos[1], 1, k => client.GetGrain<ISlowGrain>(k).WhereAsync()))[0];
            var elapsed = Stopwatch.StartNew();
            await Assert.ThrowsAsync<TimeoutException>(() => impatient.GetGrain<ISlowGrain>(slowKey).DelayAsync(TimeSpan.FromSeconds(3)));
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2.5), $"The timeout fired only after {elapsed.Elapsed}.");
            Assert.Equal(silos[1].Address.ToString(), await client.GetGrain<ISlowGrain>(slowKey).WhereAsync());

            string throwKey = (await KeysLivingOnAsync(client, silos[1], 1))[0];
            var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetGrain<IPingGrain>(throwKey).ThrowAsync("bad value from silo 1"));
            Assert.Equal("bad value from silo 1", error.Message);
        });
}
