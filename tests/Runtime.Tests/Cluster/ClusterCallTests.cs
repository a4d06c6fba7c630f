using MossGrains.Runtime.TestSilo;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>Calls across real silo processes that leave the cluster intact: single activation, placement spread, exceptions, timeouts.</summary>
[Collection(MultiProcessTestGroup.Name)]
public sealed class ClusterCallTests(SharedClusterFixture fixture) : IClassFixture<SharedClusterFixture>
{
    private ClusterFixture Cluster => fixture.Cluster;

    [Fact]
    public async Task First_calls_to_1000_keys_from_every_silo_at_once_create_exactly_one_activation_per_key()
    {
        string[] keys = [.. Enumerable.Range(0, 1000).Select(i => $"contended-{i}")];
        var calls = keys.SelectMany(key => Cluster.Clients.Select(client => (Key: key, Call: client.GetGrain<IProbeGrain>(key).WhereAsync()))).ToList();
        await Task.WhenAll(calls.Select(c => c.Call));

        foreach (var group in calls.GroupBy(c => c.Key))
        {
            Assert.Single(group.Select(c => c.Call.Result).Distinct());
        }

        var activations = (await Cluster.ReadEventsAsync(TestEventLog.Activated, CancellationToken.None))
            .Where(e => e.Key.StartsWith("contended-", StringComparison.Ordinal))
            .GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(keys.Length, activations.Count);
        Assert.All(activations, a => Assert.Equal(1, a.Value));
        // The answers came from all three processes: the keys really were spread over the cluster.
        Assert.Equal(3, calls.Select(c => c.Call.Result.Silo).Distinct().Count());
    }

    [Fact]
    public async Task Ten_thousand_activations_spread_over_three_silos_within_15_percent()
    {
        const int count = 10_000;
        var answers = new string[count];
        // Each client sends a share of the keys through its own silo, 200 calls in flight per client.
        await Task.WhenAll(Cluster.Clients.Select((client, c) => Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            if (i % Cluster.Clients.Count == c)
            {
                answers[i] = await client.GetGrain<ISpreadGrain>($"spread-{i}").WhereAsync();
            }
        })));

        var perSilo = answers.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Cluster.Silos.Select(s => s.Address.ToString()).Order(), perSilo.Keys.Order());
        double mean = count / 3.0;
        Assert.All(perSilo, p => Assert.InRange(p.Value, mean * 0.85, mean * 1.15));
    }

    [Fact]
    public async Task A_grain_exception_reaches_a_client_of_another_silo_with_its_type_and_message()
    {
        // Find a grain that lives on silo 1, then call it through silo 0's client.
        var (key, home) = await FindGrainNotOnAsync(Cluster.Silos[0].Address);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Cluster.Clients[0].GetGrain<IProbeGrain>(key).FailAsync("remote boom"));
        Assert.Equal("remote boom", error.Message);
        Assert.NotEqual(Cluster.Silos[0].Address.ToString(), home);
    }

    [Fact]
    public async Task A_call_slower_than_the_response_timeout_fails_with_TimeoutException_and_the_grain_stays_usable()
    {
        var (key, _) = await FindGrainNotOnAsync(Cluster.Silos[0].Address);
        using var impatient = ClusterFixture.CreateClient(Cluster.Silos[0], responseTimeout: TimeSpan.FromMilliseconds(300));
        var grain = impatient.GetGrain<IProbeGrain>(key);
        await Assert.ThrowsAsync<TimeoutException>(() => grain.DelayAsync(TimeSpan.FromSeconds(3)));
        // The grain finishes the slow turn and then answers again.
        var answer = await Cluster.Clients[0].GetGrain<IProbeGrain>(key).WhereAsync();
        Assert.False(string.IsNullOrEmpty(answer.Silo));
    }

    private async Task<(string Key, string Silo)> FindGrainNotOnAsync(SiloAddress silo)
    {
        for (int i = 0; ; i++)
        {
            string key = $"remote-{Guid.NewGuid():N}";
            var where = await Cluster.Clients[0].GetGrain<IProbeGrain>(key).WhereAsync();
            if (where.Silo != silo.ToString())
            {
                return (key, where.Silo);
            }

            Assert.True(i < 50, "50 fresh grains in a row were all placed on the same silo.");
        }
    }
}
