using MossGrains.Runtime.Tests.Infrastructure;
using MossGrains.Runtime.TestSilo;
using Xunit.Abstractions;
using static MossGrains.Runtime.Tests.Cluster.ClusterHarness;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>Placement attributes and grain references between two silo processes.</summary>
public sealed class PlacementAndReferenceClusterTests(PostgresDatabaseFixture database, ITestOutputHelper output) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public Task PlacementAttributes_AndGrainReferences_WorkAcrossSilos() =>
        WithSilosAsync(database, output, "placement", 2, async (_, silos) =>
        {
            using var viaFirst = ClientFor(silos[0]);
            using var viaSecond = ClientFor(silos[1]);
            var clients = new[] { viaFirst, viaSecond };
            var addresses = silos.Select(s => s.Address.ToString()).ToArray();

            // [HashBasedPlacement]: the home depends only on the key, whichever gateway activates it;
            // over 20 keys both silos are used.
            var hashHomes = new HashSet<string>();
            for (int i = 0; i < 20; i++)
            {
                string key = $"hash-{i}";
                string first = await clients[i % 2].GetGrain<IHashPlacedGrain>(key).WhereAsync();
                Assert.Equal(first, await clients[(i + 1) % 2].GetGrain<IHashPlacedGrain>(key).WhereAsync());
                hashHomes.Add(first);
            }

            Assert.Equal(addresses.Order(), hashHomes.Order());

            // [PreferLocalPlacement]: a new activation lands on the gateway that received the call,
            // and on the calling grain's silo when a grain creates it.
            for (int i = 0; i < 2; i++)
            {
                for (int k = 0; k < 5; k++)
                {
                    Assert.Equal(addresses[i], await clients[i].GetGrain<ILocalPlacedGrain>($"local-{i}-{k}").WhereAsync());
                }
            }

            string relayKey = (await KeysLivingOnAsync(viaFirst, silos[0], 1, k => viaFirst.GetGrain<IRelayGrain>(k).WhereAsync()))[0];
            Assert.Equal(addresses[0], await viaFirst.GetGrain<IRelayGrain>(relayKey).PlaceLocalAsync("local-from-relay"));

            // A reference to a grain on the second silo, passed to a grain on the first: the relay calls it remotely.
            string pingKey = (await KeysLivingOnAsync(viaFirst, silos[1], 1))[0];
            var relay = viaSecond.GetGrain<IRelayGrain>(relayKey);
            Assert.Equal(addresses[1], await relay.AskWhereAsync(viaSecond.GetGrain<IPingGrain>(pingKey)));

            // A reference returned from another process still names the same activation.
            var returned = await relay.IncrementAndReturnAsync(viaFirst.GetGrain<IPingGrain>(pingKey));
            Assert.Equal(pingKey, returned.GetPrimaryKeyString());
            Assert.Equal(2, await returned.IncrementAsync());
        });
}
