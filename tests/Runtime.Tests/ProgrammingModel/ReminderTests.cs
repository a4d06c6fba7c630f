using MossGrains.Runtime.Tests.Infrastructure;

namespace MossGrains.Runtime.Tests.ProgrammingModel;

public sealed class ReminderTests
{
    [Fact]
    public async Task Reminder_FiresEveryPeriod_ReactivatesADeactivatedGrain_AndStopsWhenUnregistered()
    {
        var time = new ManualTimeProvider();
        await using var silo = await LocalSilo.StartAsync(time);
        string key = $"rem-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<IReminderTestGrain>(key);
        await grain.RegisterAsync("r", TimeSpan.FromMinutes(1));

        time.Advance(TimeSpan.FromMinutes(1));
        await Probe.WhenSignalled($"{key}/tick:1");
        time.Advance(TimeSpan.FromMinutes(1));
        await Probe.WhenSignalled($"{key}/tick:2");

        // Deactivated, the grain is activated again by its next tick.
        await grain.DeactivateAsync();
        await Probe.WhenSignalled($"{key}/deactivated");
        time.Advance(TimeSpan.FromMinutes(1));
        await Probe.WhenSignalled($"{key}/tick:3");
        Assert.Equal(["activate", "deactivate", "activate"], Probe.Entries($"{key}/life"));

        await grain.UnregisterAsync("r");
        time.Advance(TimeSpan.FromMinutes(5));
        await grain.UnregisterAsync("r"); // a turn after any tick that could still be queued
        Assert.Equal(3, Probe.Entries(key).Length);
    }

    [Fact]
    public async Task Reminder_PeriodBelowTheMinimum_IsRefused()
    {
        await using var silo = await LocalSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IReminderTestGrain>($"rem-min-{Guid.NewGuid():N}");
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.RegisterAsync("r", TimeSpan.FromSeconds(5)));
        Assert.Contains("MinimumReminderPeriod", error.Message);
    }
}
