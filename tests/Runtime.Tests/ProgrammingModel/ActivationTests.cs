using MossGrains.Runtime.Tests.Infrastructure;

namespace MossGrains.Runtime.Tests.ProgrammingModel;

public sealed class ActivationTests
{
    [Fact]
    public async Task GetGrain_DoesNotActivate_FirstCallDoes_AndStateLivesInOneActivation()
    {
        await using var silo = await LocalSilo.StartAsync();
        string key = $"act-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);
        Assert.Empty(Probe.Entries(key));

        Assert.Equal(1, await grain.IncrementAsync());
        Assert.Equal(2, await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).IncrementAsync());
        Assert.Equal(key, await grain.GetKeyAsync());
        Assert.Equal(key, grain.GetPrimaryKeyString());
        Assert.Equal(["activate"], Probe.Entries(key));
    }

    [Fact]
    public async Task DeactivateOnIdle_RunsOnDeactivate_AndNextCallGetsAFreshActivation()
    {
        await using var silo = await LocalSilo.StartAsync();
        string key = $"deact-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);
        await grain.IncrementAsync();
        await grain.DeactivateAsync();
        await Probe.WhenSignalled($"{key}/deactivated");

        Assert.Equal(1, await grain.IncrementAsync());
        Assert.Equal(["activate", "deactivate:ApplicationRequested", "activate"], Probe.Entries(key));
    }

    [Fact]
    public async Task SiloShutdown_DeactivatesEveryActivation()
    {
        var silo = await LocalSilo.StartAsync();
        string key = $"stop-{Guid.NewGuid():N}";
        await silo.GrainFactory.GetGrain<ILifecycleGrain>(key).IncrementAsync();
        await silo.DisposeAsync();

        Assert.Equal(["activate", "deactivate:ShuttingDown"], Probe.Entries(key));
    }

    [Fact]
    public async Task GrainReferences_PassedAsArguments_CallTheNamedGrain()
    {
        await using var silo = await LocalSilo.StartAsync();
        string key = $"chain-{Guid.NewGuid():N}";
        var target = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);
        string result = await silo.GrainFactory.GetGrain<IChainGrain>("c").CallOtherAsync(target);
        Assert.Equal(key, result);
    }

    [Fact]
    public async Task IdleActivations_AreCollectedAfterTheirClassAge()
    {
        var time = new ManualTimeProvider();
        await using var silo = await LocalSilo.StartAsync(time);
        string shortLived = $"idle-{Guid.NewGuid():N}";
        string defaultAge = $"idle-default-{Guid.NewGuid():N}";
        await silo.GrainFactory.GetGrain<ILifecycleGrain>(shortLived).IncrementAsync();
        string defaultAgeInstance = await silo.GrainFactory.GetGrain<IDefaultAgeGrain>(defaultAge).InstanceAsync();

        // LifecycleGrain has [CollectionAgeLimit(Minutes = 2)]; the default is 15 minutes.
        time.Advance(TimeSpan.FromMinutes(3));
        await Probe.WhenSignalled($"{shortLived}/deactivated");
        Assert.Contains("deactivate:ActivationIdle", Probe.Entries(shortLived));

        // Collection passes run inside Advance: had the default-age grain been collected, this call
        // would reach a new activation. The call also restarts its idle time.
        Assert.Equal(defaultAgeInstance, await silo.GrainFactory.GetGrain<IDefaultAgeGrain>(defaultAge).InstanceAsync());

        time.Advance(TimeSpan.FromMinutes(16));
        await Probe.WhenSignalled($"{defaultAge}/deactivated");
    }

    [Fact]
    public async Task ActiveCalls_KeepAnActivationFromCollection()
    {
        var time = new ManualTimeProvider();
        await using var silo = await LocalSilo.StartAsync(time);
        string key = $"busy-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>(key);
        for (int i = 1; i <= 5; i++)
        {
            Assert.Equal(i, await grain.IncrementAsync());
            time.Advance(TimeSpan.FromSeconds(90));
        }

        Assert.Equal(["activate"], Probe.Entries(key));
    }
}
