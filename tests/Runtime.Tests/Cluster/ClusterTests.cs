using System.Diagnostics;
using MossGrains.Runtime.Client;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Providers.Postgres;
using MossGrains.Runtime.Tests.Infrastructure;
using MossGrains.Runtime.TestSilo;
using Xunit.Abstractions;
using static MossGrains.Runtime.Tests.Cluster.ClusterHarness;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>
/// Three real silo processes on 127.0.0.1 against a real PostgreSQL, reached through HTTP/2
/// clients. Membership uses the shortened test timings (--fast-membership).
/// </summary>
public sealed class ClusterTests(PostgresDatabaseFixture database, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task FirstCallsFromEverySilo_MakeExactlyOneActivationPerKey_AndTenThousandActivationsSpreadEvenly() =>
        WithSilosAsync(database, output, "contention", 3, async (cluster, silos) =>
        {
            using var client0 = ClientFor(silos[0]);
            using var client1 = ClientFor(silos[1]);
            using var client2 = ClientFor(silos[2]);
            var clients = new[] { client0, client1, client2 };

            // 1,000 keys; the first call to each is issued at once through every silo.
            var keys = Enumerable.Range(0, 1000).Select(i => $"contend-{i}").ToArray();
            var calls = keys.Select(key => Task.WhenAll(clients.Select(c => c.GetGrain<IPingGrain>(key).IncrementAsync()))).ToArray();
            var results = await Task.WhenAll(calls);
            foreach (var counts in results)
            {
                // One activation saw all three increments.
                Assert.Equal([1, 2, 3], counts.Order());
            }

            Assert.Equal(1000, await CountAsync(database, "SELECT count(*) FROM moss_grain_directory WHERE cluster_id = @c AND grain_key LIKE 'contend-%'", cluster));

            // 10,000 more activations, placed by the load-aware default.
            using var limit = new SemaphoreSlim(200);
            var spread = Enumerable.Range(0, 10_000).Select(async i =>
            {
                await limit.WaitAsync();
                try
                {
                    await clients[i % 3].GetGrain<IPingGrain>($"spread-{i}").EchoAsync(i);
                }
                finally
                {
                    limit.Release();
                }
            });
            await Task.WhenAll(spread);

            await Task.WhenAll(silos.Select(s => s.StopAsync(StopTimeout)));
            var activated = silos.SelectMany(s => s.ActivatedKeys).Where(k => k.StartsWith("contend-", StringComparison.Ordinal)).ToList();
            Assert.Equal(1000, activated.Count);
            Assert.Equal(1000, activated.Distinct().Count());

            var perSilo = silos.Select(s => s.ActivatedKeys.Count(k => k.StartsWith("spread-", StringComparison.Ordinal))).ToArray();
            output.WriteLine($"activations per silo: {string.Join(", ", perSilo)}");
            Assert.Equal(10_000, perSilo.Sum());
            foreach (int count in perSilo)
            {
                Assert.InRange(count, 10_000 / 3.0 * 0.85, 10_000 / 3.0 * 1.15);
            }
        });

    [Fact]
    public Task KillNine_DeclaresTheSiloDead_MovesItsGrainsAndReminders_AndGracefulShutdownDeactivatesFirst() =>
        WithSilosAsync(database, output, "failover", 3, async (cluster, silos) =>
        {
            using var client = ClientFor(silos);
            var keys = Enumerable.Range(0, 60).Select(i => $"fo-{i}").ToArray();
            var homes = new Dictionary<string, string>();
            foreach (var key in keys)
            {
                homes[key] = await client.GetGrain<IPingGrain>(key).WhereAsync();
            }

            var reminderKeys = Enumerable.Range(0, 6).Select(i => $"rem-{i}").ToArray();
            foreach (var key in reminderKeys)
            {
                await client.GetGrain<IReminderProbeGrain>(key).RegisterAsync("beat", TimeSpan.FromSeconds(2));
            }

            foreach (var key in reminderKeys)
            {
                await WaitForAnyLineAsync(silos, l => l.StartsWith($"TICK {key} ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            }

            var victim = silos[0];
            var survivors = silos[1..];
            string victimAddress = victim.Address.ToString();
            var moved = keys.Where(k => homes[k] == victimAddress).ToArray();
            Assert.NotEmpty(moved);
            var linesBeforeKill = survivors.Select(s => s.LineCount).ToArray();

            var sinceKill = Stopwatch.StartNew();
            victim.Kill();
            string newHome = await CallUntilAnsweredAsync(() => client.GetGrain<IPingGrain>(moved[0]).WhereAsync(), TimeSpan.FromSeconds(40));
            output.WriteLine($"kill -9 → first successful call on a survivor: {sinceKill.Elapsed.TotalSeconds:F2} s");
            Assert.Contains(newHome, survivors.Select(s => s.Address.ToString()));
            foreach (var key in moved)
            {
                Assert.NotEqual(victimAddress, await client.GetGrain<IPingGrain>(key).WhereAsync());
            }

            Assert.Equal(SiloStatus.Dead, await ReadStatusAsync(database, cluster, victim.Address));
            await WaitUntilAsync(async () => await CountDirectoryEntriesAsync(database, cluster, victim.Address) == 0, TimeSpan.FromSeconds(20));

            // Every reminder ticks again on a survivor (period 2 s + detection).
            foreach (var key in reminderKeys)
            {
                await WaitForAnyLineAsync(survivors, l => l.StartsWith($"TICK {key} ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), linesBeforeKill);
            }

            // Graceful shutdown of a second silo: its grains deactivate first, it leaves as Dead.
            var leaving = survivors[0];
            string leavingAddress = leaving.Address.ToString();
            var leavingKeys = new List<string>();
            foreach (var key in keys)
            {
                if (await client.GetGrain<IPingGrain>(key).WhereAsync() == leavingAddress)
                {
                    leavingKeys.Add(key);
                }
            }

            Assert.NotEmpty(leavingKeys);
            await leaving.StopAsync(StopTimeout);
            foreach (var key in leavingKeys)
            {
                Assert.Contains($"DEACTIVATED {key} ShuttingDown", leaving.Lines);
            }

            Assert.Contains("STOPPED", leaving.Lines);
            Assert.Equal(SiloStatus.Dead, await ReadStatusAsync(database, cluster, leaving.Address));
            Assert.Equal(0, await CountDirectoryEntriesAsync(database, cluster, leaving.Address));
            Assert.Equal(survivors[1].Address.ToString(), await client.GetGrain<IPingGrain>(leavingKeys[0]).WhereAsync());
        });

    [Fact]
    public Task RemoteCalls_CarryExceptionsAndResults_BetweenProcesses() =>
        WithSilosAsync(database, output, "calls", 2, async (_, silos) =>
        {
            using var client = ClientFor(silos[0]);
            var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetGrain<IPingGrain>("thrower").ThrowAsync("bad value"));
            Assert.Equal("bad value", error.Message);

            // Some of these activations land on the second silo: the gateway forwards to it.
            var homes = new HashSet<string>();
            for (int i = 0; i < 40; i++)
            {
                Assert.Equal(i, await client.GetGrain<IPingGrain>($"echo-{i}").EchoAsync(i));
                homes.Add(await client.GetGrain<IPingGrain>($"echo-{i}").WhereAsync());
            }

            Assert.Equal(2, homes.Count);
        });

    private static async Task<T> CallUntilAnsweredAsync<T>(Func<Task<T>> call, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (SiloUnavailableException) when (deadline.Elapsed < timeout)
            {
                // The call was on a connection to the killed silo; the next attempt goes elsewhere.
            }
        }
    }

    private static async Task WaitForAnyLineAsync(SiloProcess[] silos, Func<string, bool> match, TimeSpan timeout, int[]? fromLines = null)
    {
        using var cancel = new CancellationTokenSource();
        var waits = silos.Select((s, i) => s.WaitForLineAsync(match, timeout, fromLines?[i] ?? 0)).ToList();
        while (waits.Count > 0)
        {
            var done = await Task.WhenAny(waits);
            if (done.IsCompletedSuccessfully)
            {
                return;
            }

            waits.Remove(done);
            if (waits.Count == 0)
            {
                await done;
            }
        }
    }
}
