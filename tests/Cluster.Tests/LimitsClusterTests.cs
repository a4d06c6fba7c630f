using System.Diagnostics;
using MossGrains.Client.Sessions;
using MossGrains.Grains.Limits;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Cluster.Tests;

/// <summary>Per-project quotas on a two-silo cluster (real processes, Azurite): sessions in memory are counted across the cluster, and a killed silo cannot keep its slots.</summary>
public sealed class LimitsClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private static Task<IMossSession> OpenAsync(Client.IMossClient client, string name) =>
        client.SessionAsync(name, new SessionOptions { Project = "acme", Durability = SessionDurability.Ephemeral });

    [Fact]
    public async Task Sessions_are_counted_across_the_cluster_and_a_killed_silo_frees_its_slots()
    {
        await using var cluster = await LocalCluster.StartAsync(2, output.WriteLine, new Dictionary<string, string>
        {
            ["Moss:Limits:Default:MaxSessions"] = "2",
            ["Moss:Limits:RetryAfter"] = "00:00:01",
        });
        var (survivor, doomed) = (cluster.Silos[0], cluster.Silos[1]);
        var viaDoomed = await cluster.ClientAsync(CallTimeout, doomed);
        var viaSurvivor = await cluster.ClientAsync(CallTimeout, survivor);
        foreach (string name in new[] { "a", "b" })
        {
            var session = await OpenAsync(viaDoomed, name);
            Assert.Equal(doomed, cluster.HostOf((await session.GetInfoAsync()).Silo)); // placed where its first call came in
        }

        // The count is the project's, not the silo's: the other silo refuses a third session.
        var refused = await Assert.ThrowsAsync<QuotaExceededException>(() => OpenAsync(viaSurvivor, "c"));
        Assert.Equal((Quota.Sessions, 2L, 2L), (refused.Quota, refused.Limit, refused.Usage));

        // Killed: its sessions never deactivate, so they never give their slots back.
        doomed.Kill();
        var clock = Stopwatch.StartNew();
        int refusals = 0;
        while (true)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"session c still refused {clock.Elapsed} after the kill ({refusals} refusals)");
            try
            {
                await OpenAsync(viaSurvivor, "c");
                break;
            }
            catch (Exception e) when (e is QuotaExceededException or TimeoutException or OrleansException)
            {
                // Until membership declares the silo dead, the limits grain cannot tell its sessions are gone: retry as told.
                refusals++;
                await Task.Delay(e is QuotaExceededException { RetryAfter: { } after } ? after : TimeSpan.FromMilliseconds(100));
            }
        }

        output.WriteLine($"the killed silo's slots were free {clock.Elapsed.TotalSeconds:F1} s after the kill ({refusals} refusals before)");
        await OpenAsync(viaSurvivor, "d");
        var again = await Assert.ThrowsAsync<QuotaExceededException>(() => OpenAsync(viaSurvivor, "e"));
        Assert.Equal(2, again.Usage);
    }
}
