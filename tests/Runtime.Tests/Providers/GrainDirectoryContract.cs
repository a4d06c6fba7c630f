using MossGrains.Runtime.GrainDirectory;

namespace MossGrains.Runtime.Tests.Providers;

/// <summary>The IGrainDirectory contract; every implementation runs all of it.</summary>
public abstract class GrainDirectoryContract
{
    private static readonly SiloAddress SiloA = new("127.0.0.1", 30001, 1);
    private static readonly SiloAddress SiloB = new("127.0.0.1", 30002, 1);
    private static readonly SiloAddress SiloC = new("127.0.0.1", 30003, 1);

    protected abstract Task<IGrainDirectory> CreateDirectoryAsync(string clusterId);

    [Fact]
    public async Task Register_then_lookup_returns_the_entry()
    {
        var directory = await NewDirectoryAsync();
        var address = Address("k", SiloA);
        Assert.Equal(address, await directory.RegisterAsync(address, null, default));
        Assert.Equal(address, await directory.LookupAsync(address.GrainId, default));
        Assert.Null(await directory.LookupAsync(new GrainId("test", "missing"), default));
    }

    [Fact]
    public async Task First_writer_wins_under_1000_way_contention()
    {
        var directory = await NewDirectoryAsync();
        var grainId = new GrainId("test", "contended");
        var candidates = Enumerable.Range(0, 1000)
            .Select(i => new GrainAddress(grainId, i % 2 == 0 ? SiloA : SiloB, $"activation-{i}"))
            .ToList();
        var results = await Task.WhenAll(candidates.Select(c => Task.Run(() => directory.RegisterAsync(c, null, default))));
        var winner = Assert.Single(results.Distinct());
        Assert.Contains(winner, candidates);
        Assert.Equal(winner, await directory.LookupAsync(grainId, default));
    }

    [Fact]
    public async Task Many_keys_registered_concurrently_from_several_silos_get_one_entry_each()
    {
        var directory = await NewDirectoryAsync();
        SiloAddress[] silos = [SiloA, SiloB, SiloC];
        var calls = Enumerable.Range(0, 200)
            .SelectMany(key => silos.Select(silo => (Key: key, Address: Address($"key-{key}", silo))))
            .ToList();
        var results = await Task.WhenAll(calls.Select(call => Task.Run(() => directory.RegisterAsync(call.Address, null, default))));
        foreach (var group in results.GroupBy(r => r.GrainId))
        {
            var winner = Assert.Single(group.Distinct());
            Assert.Equal(winner, await directory.LookupAsync(group.Key, default));
        }

        Assert.Equal(200, results.Select(r => r.GrainId).Distinct().Count());
    }

    [Fact]
    public async Task Registering_over_a_matching_previous_entry_replaces_it()
    {
        var directory = await NewDirectoryAsync();
        var first = Address("moving", SiloA);
        await directory.RegisterAsync(first, null, default);

        var second = Address("moving", SiloB);
        Assert.Equal(first, await directory.RegisterAsync(second, null, default));
        Assert.Equal(second, await directory.RegisterAsync(second, first, default));
        Assert.Equal(second, await directory.LookupAsync(first.GrainId, default));

        // A stale previous does not replace: the caller gets the current entry back.
        var third = Address("moving", SiloC);
        Assert.Equal(second, await directory.RegisterAsync(third, first, default));
        Assert.Equal(second, await directory.LookupAsync(first.GrainId, default));

        // With no entry at all, a registration with a previous simply registers.
        var fresh = Address("fresh", SiloC);
        Assert.Equal(fresh, await directory.RegisterAsync(fresh, Address("fresh", SiloA), default));
        await Assert.ThrowsAsync<ArgumentException>(() => directory.RegisterAsync(fresh, Address("other", SiloA), default));
    }

    [Fact]
    public async Task Unregister_removes_only_the_same_activation()
    {
        var directory = await NewDirectoryAsync();
        var address = Address("single", SiloA);
        await directory.RegisterAsync(address, null, default);
        await directory.UnregisterAsync(address with { ActivationId = "another-activation" }, default);
        Assert.Equal(address, await directory.LookupAsync(address.GrainId, default));
        await directory.UnregisterAsync(address, default);
        Assert.Null(await directory.LookupAsync(address.GrainId, default));
    }

    [Fact]
    public async Task Unregister_silos_removes_every_entry_of_those_silos_only()
    {
        var directory = await NewDirectoryAsync();
        var entries = Enumerable.Range(0, 30)
            .Select(i => Address($"grain-{i}", (i % 3) switch { 0 => SiloA, 1 => SiloB, _ => SiloC }))
            .ToList();
        foreach (var entry in entries)
        {
            await directory.RegisterAsync(entry, null, default);
        }

        // Same endpoint, newer generation: a different silo, unaffected.
        var restartedA = Address("restarted", SiloA with { Generation = 2 });
        await directory.RegisterAsync(restartedA, null, default);

        await directory.UnregisterSilosAsync([SiloA, SiloC], default);
        await directory.UnregisterSilosAsync([], default);
        foreach (var entry in entries)
        {
            var found = await directory.LookupAsync(entry.GrainId, default);
            Assert.Equal(entry.Silo == SiloB ? entry : null, found);
        }

        Assert.Equal(restartedA, await directory.LookupAsync(restartedA.GrainId, default));
    }

    [Fact]
    public async Task Clusters_do_not_see_each_others_entries()
    {
        var a = await NewDirectoryAsync();
        var b = await NewDirectoryAsync();
        var inA = Address("shared-key", SiloA);
        var inB = Address("shared-key", SiloB);
        Assert.Equal(inA, await a.RegisterAsync(inA, null, default));
        Assert.Equal(inB, await b.RegisterAsync(inB, null, default));
        await a.UnregisterSilosAsync([SiloB], default);
        Assert.Equal(inB, await b.LookupAsync(inB.GrainId, default));
    }

    private static GrainAddress Address(string key, SiloAddress silo) =>
        new(new GrainId("test", key), silo, Guid.NewGuid().ToString("N"));

    private async Task<IGrainDirectory> NewDirectoryAsync()
    {
        var directory = await CreateDirectoryAsync($"cluster-{Guid.NewGuid():N}");
        await directory.InitializeAsync(default);
        return directory;
    }
}
