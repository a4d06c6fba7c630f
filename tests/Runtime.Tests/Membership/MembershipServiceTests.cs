using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Providers.Postgres;
using MossGrains.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;
using static MossGrains.Runtime.Tests.Cluster.ClusterHarness;

namespace MossGrains.Runtime.Tests.Membership;

/// <summary>
/// Three membership services in this process, each with its own Kestrel HTTP/2 endpoint, on a real
/// PostgreSQL table, with <see cref="MembershipOptions.ForTests"/> timings.
/// </summary>
public sealed class MembershipServiceTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    /// <summary>
    /// Detection bound for the test options, (limit + 1) × period + timeout + refresh = 1 s + 2 s + 1 s,
    /// with ample room for a loaded 2-core machine.
    /// </summary>
    private static readonly TimeSpan DetectionBound = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan JoinBound = TimeSpan.FromSeconds(10);

    private readonly List<MembershipTestSilo> _silos = [];
    private readonly string _clusterId = $"membership-{Guid.NewGuid():N}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_silos_join_and_all_see_each_other_active()
    {
        var silos = await StartSilosAsync(3);
        foreach (var silo in silos)
        {
            Assert.Equal(SiloStatus.Active, silo.Service.LocalStatus);
            await silo.Service.WaitUntilAsync(v => v.ActiveSilos.Count() == 3, JoinBound, $"{silo.Name} sees 3 active silos");
        }

        var rows = (await NewTable().ReadAllAsync(default)).Rows;
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Empty(r.Entry.SuspectTimes));
        Assert.Equal(silos.Select(s => s.Name).Order(), rows.Select(r => r.Entry.SiloName).Order());
    }

    [Fact]
    public async Task A_silo_that_vanishes_is_voted_dead_by_the_survivors_within_the_bound()
    {
        var silos = await StartSilosAsync(3);
        await AllSeeActiveAsync(silos);
        var victim = silos[2];
        var victimAddress = victim.Address!;

        var started = System.Diagnostics.Stopwatch.StartNew();
        await victim.DisposeAsync();
        await Task.WhenAll(silos[..2].Select(s =>
            s.Service.WaitUntilAsync(v => v.GetStatus(victimAddress) == SiloStatus.Dead, DetectionBound, $"{s.Name} sees the victim dead")));
        output.WriteLine($"Declared dead and seen by both survivors after {started.ElapsedMilliseconds} ms.");

        // With three active silos two votes are needed: both survivors voted.
        var row = await ReadRowAsync(database, _clusterId, victimAddress);
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Equal(
            silos[..2].Select(s => s.Address!).ToHashSet(),
            row.SuspectTimes.Select(v => v.Suspector).ToHashSet());
        Assert.All(silos[..2], s => Assert.False(s.Service.DeclaredDead.IsCompleted));
    }

    [Fact]
    public async Task With_two_silos_the_survivor_alone_declares_the_other_dead()
    {
        var silos = await StartSilosAsync(2);
        await AllSeeActiveAsync(silos);
        var victimAddress = silos[1].Address!;
        await silos[1].DisposeAsync();
        await silos[0].Service.WaitUntilAsync(v => v.GetStatus(victimAddress) == SiloStatus.Dead, DetectionBound, "the survivor sees the victim dead");

        // min(NumVotesForDeathDeclaration = 2, ceil(2 active / 2) = 1): one vote.
        var row = await ReadRowAsync(database, _clusterId, victimAddress);
        Assert.Equal(silos[0].Address, Assert.Single(row.SuspectTimes).Suspector);
    }

    [Fact]
    public async Task A_graceful_leave_goes_through_shutting_down_to_dead_without_votes()
    {
        var silos = await StartSilosAsync(2);
        await AllSeeActiveAsync(silos);
        var (stayer, leaver) = (silos[0], silos[1]);
        var leaverAddress = leaver.Address!;

        await leaver.Service.BeginLeaveAsync(default);
        Assert.False(leaver.Service.AnswersProbe(leaverAddress.Generation));
        Assert.Equal(SiloStatus.ShuttingDown, await ReadStatusAsync(database, _clusterId, leaverAddress));
        await stayer.Service.WaitUntilAsync(
            v => v.GetStatus(leaverAddress) == SiloStatus.ShuttingDown, DetectionBound, "the stayer sees the leaver shutting down");

        await leaver.Service.LeaveAsync(default);
        var row = await ReadRowAsync(database, _clusterId, leaverAddress);
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Empty(row.SuspectTimes);
        await stayer.Service.WaitUntilAsync(v => v.GetStatus(leaverAddress) == SiloStatus.Dead, DetectionBound, "the stayer sees the leaver dead");
        Assert.False(leaver.Service.DeclaredDead.IsCompleted);
        Assert.False(stayer.Service.DeclaredDead.IsCompleted);
    }

    [Fact]
    public async Task A_silo_declared_dead_by_the_others_learns_it_and_completes_DeclaredDead()
    {
        var silos = await StartSilosAsync(3);
        await AllSeeActiveAsync(silos);
        var isolated = silos[0];

        // Unreachable, but still running and reading the table.
        await isolated.StopEndpointAsync();
        await isolated.Service.DeclaredDead.WaitAsync(DetectionBound);
        Assert.False(isolated.Service.AnswersProbe(isolated.Address!.Generation));
        Assert.Equal(SiloStatus.Dead, await ReadStatusAsync(database, _clusterId, isolated.Address!));
        Assert.All(silos[1..], s => Assert.False(s.Service.DeclaredDead.IsCompleted));
    }

    [Fact]
    public async Task Rows_left_by_crashed_processes_are_declared_dead_at_start_up()
    {
        var table = NewTable();
        await table.InitializeAsync(default);
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-10);
        // Nothing listens on these: ports from a closed listener.
        var crashedActive = new SiloAddress("127.0.0.1", FreePort.OnLoopback(), 1);
        var crashedJoining = new SiloAddress("127.0.0.1", FreePort.OnLoopback(), 2);
        foreach (var (silo, status) in new[] { (crashedActive, SiloStatus.Active), (crashedJoining, SiloStatus.Joining) })
        {
            var data = await table.ReadAllAsync(default);
            Assert.True(await table.InsertRowAsync(new MembershipEntry(silo, "crashed", status, longAgo, longAgo, []), data.Version.Next(), default));
        }

        // An older incarnation on the same endpoint as the new silo: declared dead when the new one joins.
        SiloAddress? previousIncarnation = null;
        var restarted = await MembershipTestSilo.StartAsync(table, MembershipOptions.ForTests(), output, "restarted", async address =>
        {
            previousIncarnation = address with { Generation = address.Generation - 1_000_000 };
            var data = await table.ReadAllAsync(default);
            Assert.True(await table.InsertRowAsync(
                new MembershipEntry(previousIncarnation, "previous", SiloStatus.Active, longAgo, DateTimeOffset.UtcNow, []), data.Version.Next(), default));
        });
        _silos.Add(restarted);
        Assert.Equal(SiloStatus.Dead, await ReadStatusAsync(database, _clusterId, previousIncarnation!));

        await restarted.Service.WaitUntilAsync(
            v => v.GetStatus(crashedActive) == SiloStatus.Dead && v.GetStatus(crashedJoining) == SiloStatus.Dead,
            DetectionBound,
            "both crashed rows dead");

        // The stale Active row needed only this silo's vote.
        var row = await ReadRowAsync(database, _clusterId, crashedActive);
        Assert.Equal(restarted.Address, Assert.Single(row.SuspectTimes).Suspector);
    }

    private async Task<MembershipTestSilo[]> StartSilosAsync(int count)
    {
        var started = new List<MembershipTestSilo>();
        for (int i = 0; i < count; i++)
        {
            var silo = await MembershipTestSilo.StartAsync(NewTable(), MembershipOptions.ForTests(), output, $"silo-{i}");
            _silos.Add(silo);
            started.Add(silo);
        }

        return [.. started];
    }

    private static async Task AllSeeActiveAsync(MembershipTestSilo[] silos)
    {
        foreach (var silo in silos)
        {
            await silo.Service.WaitUntilAsync(v => v.ActiveSilos.Count() == silos.Length, JoinBound, $"{silo.Name} sees {silos.Length} active");
        }
    }

    private PostgresMembershipTable NewTable() => new(database.DataSource, _clusterId);
}
