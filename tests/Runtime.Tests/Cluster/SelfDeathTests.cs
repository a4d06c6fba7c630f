using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Tests.Infrastructure;
using MossGrains.Runtime.TestSilo;
using Xunit.Abstractions;
using static MossGrains.Runtime.Tests.Cluster.ClusterHarness;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>A silo that was frozen long enough to be voted out finds itself Dead when it wakes and stops.</summary>
public sealed class SelfDeathTests(PostgresDatabaseFixture database, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public Task FrozenSilo_IsDeclaredDead_AndStopsWhenItWakes_WhileTheSurvivorKeepsServing() =>
        WithSilosAsync(database, output, "selfdeath", 2, async (cluster, silos) =>
        {
            var (frozen, survivor) = (silos[0], silos[1]);
            using var client = ClientFor(survivor);
            var keys = Enumerable.Range(0, 20).Select(i => $"sd-{i}").ToArray();
            var onFrozen = new List<string>();
            foreach (var key in keys)
            {
                if (await client.GetGrain<IPingGrain>(key).WhereAsync() == frozen.Address.ToString())
                {
                    onFrozen.Add(key);
                }
            }

            Assert.NotEmpty(onFrozen);

            // SIGSTOP: the process stays alive but answers no probes, so the survivor votes it dead.
            await SignalAsync(frozen, "STOP");
            try
            {
                // The verdict is a row in PostgreSQL (another process, no event): poll it, bounded by
                // the test timings' detection time (4 × 250 ms probes + 2 s timeout) with ample slack.
                await WaitUntilAsync(async () => await ReadStatusAsync(database, cluster, frozen.Address) == SiloStatus.Dead, TimeSpan.FromSeconds(30));
            }
            finally
            {
                await SignalAsync(frozen, "CONT");
            }

            // Awake again, it reads its own row as Dead and shuts itself down.
            await frozen.WaitForLineAsync(l => l == "STOPPED", TimeSpan.FromSeconds(30));
            await frozen.Exited.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(SiloStatus.Dead, await ReadStatusAsync(database, cluster, frozen.Address));

            // The survivor serves the grains that lived on the frozen silo.
            foreach (var key in onFrozen)
            {
                Assert.Equal(survivor.Address.ToString(), await client.GetGrain<IPingGrain>(key).WhereAsync());
            }
        });
}
