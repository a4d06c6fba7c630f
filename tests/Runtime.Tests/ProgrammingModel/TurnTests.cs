using MossGrains.Runtime.Tests.Infrastructure;

namespace MossGrains.Runtime.Tests.ProgrammingModel;

public sealed class TurnTests
{
    [Fact]
    public async Task ReadOnlyCalls_Interleave_WhileAWriteWaitsForThem()
    {
        await using var silo = await LocalSilo.StartAsync();
        string key = $"gate-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<IGateGrain>(key);

        var read1 = grain.ReadAsync("r1");
        await Probe.WhenSignalled($"{key}/entered:r1");
        var read2 = grain.ReadAsync("r2");
        await Probe.WhenSignalled($"{key}/entered:r2"); // r2 runs while r1 awaits its gate

        var write = grain.WriteAsync("w");
        await grain.PingAsync(); // [AlwaysInterleave]: runs now; w was queued before it
        Assert.DoesNotContain("enter:w", Probe.Entries(key));

        Probe.Set($"{key}/release:r1");
        await read1;
        await grain.PingAsync();
        Assert.DoesNotContain("enter:w", Probe.Entries(key)); // still waits for r2

        Probe.Set($"{key}/release:r2");
        await read2;
        await Probe.WhenSignalled($"{key}/entered:w");
        Probe.Set($"{key}/release:w");
        await write;
        Assert.Equal(["enter:r1", "enter:r2", "ping", "exit:r1", "ping", "exit:r2", "enter:w", "exit:w"], Probe.Entries(key));
    }

    [Fact]
    public async Task ExclusiveCalls_RunOneAtATime_AndAReadWaitsForAWrite()
    {
        await using var silo = await LocalSilo.StartAsync();
        string key = $"gate-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<IGateGrain>(key);

        var write1 = grain.WriteAsync("w1");
        await Probe.WhenSignalled($"{key}/entered:w1");
        var write2 = grain.WriteAsync("w2");
        var read = grain.ReadAsync("r");
        await grain.PingAsync();
        Assert.Equal(["enter:w1", "ping"], Probe.Entries(key));

        Probe.Set($"{key}/release:w1");
        await Probe.WhenSignalled($"{key}/entered:w2");
        await grain.PingAsync();
        Assert.DoesNotContain("enter:r", Probe.Entries(key));
        Probe.Set($"{key}/release:w2");
        Probe.Set($"{key}/release:r");
        await Task.WhenAll(write1, write2, read);
        Assert.Equal(["enter:w1", "ping", "exit:w1", "enter:w2", "ping", "exit:w2", "enter:r", "exit:r"], Probe.Entries(key));
    }

    [Fact]
    public async Task ReentrantClass_InterleavesOrdinaryCalls()
    {
        await using var silo = await LocalSilo.StartAsync();
        string key = $"reentrant-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<IReentrantGateGrain>(key);

        var first = grain.WaitAsync("a");
        await Probe.WhenSignalled($"{key}/entered:a");
        var second = grain.WaitAsync("b");
        await Probe.WhenSignalled($"{key}/entered:b");
        Probe.Set($"{key}/release:a");
        Probe.Set($"{key}/release:b");
        await Task.WhenAll(first, second);
        Assert.Equal(["enter:a:1", "enter:b:2"], Probe.Entries(key));
    }

    [Fact]
    public async Task GrainTimer_TicksAsTurns_UntilDisposed()
    {
        var time = new ManualTimeProvider();
        await using var silo = await LocalSilo.StartAsync(time);
        string key = $"timer-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>(key);
        await grain.StartAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await grain.GetTicksAsync());

        time.Advance(TimeSpan.FromSeconds(10));
        await Probe.WhenSignalled($"{key}/tick:1");
        Assert.Equal(1, await grain.GetTicksAsync());

        // The next period starts when the tick's turn completes (GetTicksAsync ran after it).
        time.Advance(TimeSpan.FromSeconds(10));
        await Probe.WhenSignalled($"{key}/tick:2");
        await grain.StopAsync();
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(2, await grain.GetTicksAsync());
    }
}
