using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Tests.Infrastructure;

namespace MossGrains.Runtime.Tests.ProgrammingModel;

/// <summary>Collection ages per class, grain-timer options and the deactivation timeout.</summary>
public sealed class GrainOptionsTests
{
    [Fact]
    public async Task ClassSpecificCollectionAge_WinsOverTheDefault_AndOverTheAttribute()
    {
        var time = new ManualTimeProvider();
        await using var silo = await LocalSilo.StartAsync(time, s => s.Configure<GrainCollectionOptions>(o =>
        {
            o.ClassSpecificCollectionAge[typeof(OptionsProbeGrain).FullName!] = TimeSpan.FromMinutes(3);
            o.ClassSpecificCollectionAge[typeof(LifecycleGrain).FullName!] = TimeSpan.FromMinutes(10);
        }));
        string shortened = $"cls-short-{Guid.NewGuid():N}";
        string lengthened = $"cls-long-{Guid.NewGuid():N}";
        string before = await silo.GrainFactory.GetGrain<IOptionsProbeGrain>(shortened).InstanceAsync();
        await silo.GrainFactory.GetGrain<ILifecycleGrain>(lengthened).IncrementAsync();

        // 4 min: past the 3 min configured for OptionsProbeGrain (default 15 min) and past the
        // 2 min of LifecycleGrain's [CollectionAgeLimit], which the configured 10 min overrides.
        time.Advance(TimeSpan.FromMinutes(4));
        await Probe.WhenSignalled($"{shortened}/deactivated");
        Assert.NotEqual(before, await silo.GrainFactory.GetGrain<IOptionsProbeGrain>(shortened).InstanceAsync());
        // Collection decisions are made inside Advance, so a call now reaches the same activation if it was kept.
        Assert.Equal(2, await silo.GrainFactory.GetGrain<ILifecycleGrain>(lengthened).IncrementAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TimerKeepAlive_DecidesWhetherTicksKeepAnIdleActivation(bool keepAlive)
    {
        var time = new ManualTimeProvider();
        await using var silo = await LocalSilo.StartAsync(time, s => s.Configure<GrainCollectionOptions>(o =>
            o.ClassSpecificCollectionAge[typeof(OptionsProbeGrain).FullName!] = TimeSpan.FromMinutes(2)));
        string key = $"keepalive-{keepAlive}-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<IOptionsProbeGrain>(key);
        string before = await grain.InstanceAsync();

        // Ticks every 25 s (never at the same instant as the 1-min collection pass) for 250 s,
        // more than twice the 2-min collection age.
        await grain.StartTimerAsync(TimeSpan.FromSeconds(25), keepAlive, interleave: false);
        var deactivated = Probe.WhenSignalled($"{key}/deactivated");
        for (int tick = 1; tick <= 10 && !deactivated.IsCompleted; tick++)
        {
            time.Advance(TimeSpan.FromSeconds(25));
            await Task.WhenAny(Probe.WhenSignalled($"{key}/tick:{tick}"), deactivated).WaitAsync(TimeSpan.FromSeconds(10));
        }

        if (keepAlive)
        {
            // Each tick counted as activity: the first activation is still there.
            Assert.Equal(before, await grain.InstanceAsync());
            Assert.DoesNotContain("deactivate", Probe.Entries(key));
        }
        else
        {
            // Ticks did not count: the activation was collected once the age had passed since the last call.
            Assert.True(deactivated.IsCompleted);
            Assert.NotEqual(before, await grain.InstanceAsync());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TimerInterleave_DecidesWhetherATickRunsDuringAWaitingCall(bool interleave)
    {
        var time = new ManualTimeProvider();
        // The blocked call outlives the advanced clock; keep its response timeout out of the way.
        await using var silo = await LocalSilo.StartAsync(time, s => s.Configure<MessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromHours(1)));
        string key = $"interleave-{interleave}-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<IOptionsProbeGrain>(key);
        await grain.StartTimerAsync(TimeSpan.FromMinutes(1), keepAlive: false, interleave);
        var blocked = grain.BlockAsync();
        await Probe.WhenSignalled($"{key}/entered");

        time.Advance(TimeSpan.FromMinutes(1)); // the tick is queued now, while the call waits
        if (interleave)
        {
            await Probe.WhenSignalled($"{key}/tick:1");
        }

        Probe.Set($"{key}/release");
        await blocked;
        await Probe.WhenSignalled($"{key}/tick:1");
        string[] expected = interleave ? ["enter", "tick", "exit"] : ["enter", "exit", "tick"];
        Assert.Equal(expected, Probe.Entries(key));
    }

    [Fact]
    public async Task DeactivationTimeout_CancelsOnDeactivate_AndShutdownDoesNotWaitForAHangingGrain()
    {
        var silo = await LocalSilo.StartAsync(configure: s => s.Configure<SiloOptions>(o => o.DeactivationTimeout = TimeSpan.FromMilliseconds(500)));
        string cooperative = $"deact-coop-{Guid.NewGuid():N}";
        string hanging = $"deact-hang-{Guid.NewGuid():N}";
        await silo.GrainFactory.GetGrain<ISlowDeactivationGrain>(cooperative).ActivateAsync(ignoreCancellation: false);
        await silo.GrainFactory.GetGrain<ISlowDeactivationGrain>(hanging).ActivateAsync(ignoreCancellation: true);

        // The hanging grain never finishes OnDeactivateAsync; the silo still stops (bounded wait, not a sleep).
        await silo.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(Probe.WhenSignalled($"{cooperative}/cancelled").IsCompleted); // it had noticed its token before the silo stopped
        Assert.Equal(["deactivating"], Probe.Entries(hanging));
        Probe.Set($"{hanging}/release");
    }

    [Fact]
    public void DeactivationTimeout_DefaultsToThirtySeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(30), new SiloOptions().DeactivationTimeout);
}

public interface IOptionsProbeGrain : IGrainWithStringKey
{
    /// <summary>An id of this activation (a new activation has a new id).</summary>
    Task<string> InstanceAsync();

    /// <summary>Starts a timer (due after one period) that logs "tick" and raises "{key}/tick:n".</summary>
    Task StartTimerAsync(TimeSpan period, bool keepAlive, bool interleave);

    /// <summary>Logs "enter", waits for gate "{key}/release", logs "exit".</summary>
    Task BlockAsync();
}

public class OptionsProbeGrain : Grain, IOptionsProbeGrain
{
    private readonly string instance = Guid.NewGuid().ToString("N");
    private int ticks;

    public Task<string> InstanceAsync() => Task.FromResult(instance);

    public Task StartTimerAsync(TimeSpan period, bool keepAlive, bool interleave)
    {
        RegisterGrainTimer(
            _ =>
            {
                Probe.Log(GetPrimaryKeyString(), "tick");
                Probe.Set($"{GetPrimaryKeyString()}/tick:{++ticks}");
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions { DueTime = period, Period = period, KeepAlive = keepAlive, Interleave = interleave });
        return Task.CompletedTask;
    }

    public async Task BlockAsync()
    {
        Probe.Log(GetPrimaryKeyString(), "enter");
        Probe.Set($"{GetPrimaryKeyString()}/entered");
        await Probe.WhenSignalled($"{GetPrimaryKeyString()}/release");
        Probe.Log(GetPrimaryKeyString(), "exit");
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Probe.Log(GetPrimaryKeyString(), "deactivate");
        Probe.Set($"{GetPrimaryKeyString()}/deactivated");
        return Task.CompletedTask;
    }
}

public interface ISlowDeactivationGrain : IGrainWithStringKey
{
    /// <summary>Activates; on deactivation the grain waits for its token (or, if told to ignore it, for gate "{key}/release").</summary>
    Task ActivateAsync(bool ignoreCancellation);
}

public class SlowDeactivationGrain : Grain, ISlowDeactivationGrain
{
    private bool ignoreCancellation;

    public Task ActivateAsync(bool ignoreCancellation)
    {
        this.ignoreCancellation = ignoreCancellation;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Probe.Log(GetPrimaryKeyString(), "deactivating");
        if (ignoreCancellation)
        {
            await Probe.WhenSignalled($"{GetPrimaryKeyString()}/release");
            return;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Probe.Set($"{GetPrimaryKeyString()}/cancelled");
            throw;
        }
    }
}
