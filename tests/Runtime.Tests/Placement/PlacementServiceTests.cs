using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Placement;
using MossGrains.Runtime.Reminders;

namespace MossGrains.Runtime.Tests.Placement;

public sealed class PlacementServiceTests
{
    private static readonly SiloAddress[] Silos = [new("127.0.0.1", 1001, 1), new("127.0.0.1", 1002, 1), new("127.0.0.1", 1003, 1)];

    [Fact]
    public void HashBased_PicksTheSameSiloOnEverySilo()
    {
        var view = new FixedView(Silos);
        var placements = Silos.Select(local => new PlacementService(view, Local(local), () => 0)).ToArray();
        for (int i = 0; i < 100; i++)
        {
            var grain = new GrainId("t", $"k{i}");
            var chosen = placements.Select(p => p.Place(grain, PlacementStrategy.HashBased)).Distinct().ToArray();
            Assert.Single(chosen);
        }
    }

    [Fact]
    public void PreferLocal_PicksTheRoutingSilo()
    {
        var placement = new PlacementService(new FixedView(Silos), Local(Silos[1]), () => 0);
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(Silos[1], placement.Place(new GrainId("t", $"k{i}"), PlacementStrategy.PreferLocal)));
    }

    [Fact]
    public void ActivationCountBased_AvoidsTheLoadedSilo()
    {
        var placement = new PlacementService(new FixedView(Silos), Local(Silos[0]), () => 10_000);
        placement.ReportLoad(Silos[1], 0);
        placement.ReportLoad(Silos[2], 0);
        var chosen = Enumerable.Range(0, 300).Select(i => placement.Place(new GrainId("t", $"k{i}"), PlacementStrategy.ActivationCountBased)).ToArray();
        Assert.DoesNotContain(Silos[0], chosen);

        // The per-placement estimate keeps the two idle silos level.
        int one = chosen.Count(s => s == Silos[1]);
        Assert.InRange(one, 120, 180);
    }

    [Fact]
    public void NoActiveSilo_IsAClearError()
    {
        var placement = new PlacementService(new FixedView([]), Local(Silos[0]), () => 0);
        Assert.Throws<SiloUnavailableException>(() => placement.Place(new GrainId("t", "k"), PlacementStrategy.ActivationCountBased));
    }

    [Fact]
    public void ReminderRanges_OfAllSilos_CoverTheRingExactlyOnce()
    {
        var ranges = Silos.Select(s => ReminderService.ComputeOwnedRanges(Silos, s)).ToArray();
        Assert.All(ranges, r => Assert.Equal(ReminderService.PointsPerSilo, r.Length));
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            uint hash = (uint)random.NextInt64(0, uint.MaxValue + 1L);
            int owners = ranges.Count(r => r.Any(range => RingRange.Contains(range.Start, range.End, hash)));
            Assert.Equal(1, owners);
        }
    }

    private static LocalSiloDetails Local(SiloAddress address) => new("test") { SiloAddress = address };

    private sealed class FixedView(SiloAddress[] active) : IClusterMembershipView
    {
        public ClusterMembershipSnapshot Current { get; } = new(1, active.ToDictionary(s => s, _ => SiloStatus.Active));

        public Task DeclaredDead => Task.CompletedTask;

        public event Action<ClusterMembershipSnapshot>? Changed
        {
            add { }
            remove { }
        }
    }
}
