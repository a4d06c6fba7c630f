using MossGrains.Runtime.Placement;

namespace MossGrains.Runtime.TestSilo;

/// <summary>Where an activation lives: the silo address and this activation's own id.</summary>
public sealed record ActivationInfo(string Silo, string ActivationId);

/// <summary>Reports its activation; activations and deactivations are recorded in <see cref="TestEventLog"/>.</summary>
[GrainType("mp-probe")]
public interface IProbeGrain : IGrainWithStringKey
{
    Task<ActivationInfo> WhereAsync();

    /// <summary>Throws <see cref="InvalidOperationException"/> with <paramref name="message"/>.</summary>
    Task FailAsync(string message);

    /// <summary>Completes after <paramref name="delay"/> (for caller timeouts).</summary>
    Task DelayAsync(TimeSpan delay);
}

public sealed class ProbeGrain(TestEventLog log) : Grain, IProbeGrain
{
    private readonly string activationId = Guid.NewGuid().ToString("N");

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        log.RecordAsync(RuntimeIdentity, TestEventLog.Activated, GetPrimaryKeyString(), activationId, cancellationToken);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        log.RecordAsync(RuntimeIdentity, TestEventLog.Deactivated, GetPrimaryKeyString(), activationId, cancellationToken);

    public Task<ActivationInfo> WhereAsync() => Task.FromResult(new ActivationInfo(RuntimeIdentity, activationId));

    public Task FailAsync(string message) => throw new InvalidOperationException(message);

    public Task DelayAsync(TimeSpan delay) => Task.Delay(delay);
}

/// <summary>Answers the silo it lives on; records nothing (for placement spread and benchmarks).</summary>
[GrainType("mp-spread")]
public interface ISpreadGrain : IGrainWithStringKey
{
    Task<string> WhereAsync();

    Task<int> EchoAsync(int value);
}

public sealed class SpreadGrain : Grain, ISpreadGrain
{
    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);

    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}

/// <summary>Registers a durable reminder; every tick is recorded with the silo that ran it.</summary>
[GrainType("mp-reminder")]
public interface IReminderProbeGrain : IGrainWithStringKey, IRemindable
{
    Task StartAsync(TimeSpan period);
}

public sealed class ReminderProbeGrain(TestEventLog log) : Grain, IReminderProbeGrain
{
    public Task StartAsync(TimeSpan period) => RegisterOrUpdateReminder("tick", period, period);

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        log.RecordAsync(RuntimeIdentity, TestEventLog.Tick, GetPrimaryKeyString(), reminderName, CancellationToken.None);
}

/// <summary>Placed on the calling silo: lets a silo learn its own address through an ordinary grain call.</summary>
[GrainType("mp-silo-info")]
public interface ISiloInfoGrain : IGrainWithStringKey
{
    Task<string> GetSiloAsync();
}

[PreferLocalPlacement]
public sealed class SiloInfoGrain : Grain, ISiloInfoGrain
{
    public Task<string> GetSiloAsync() => Task.FromResult(RuntimeIdentity);
}
