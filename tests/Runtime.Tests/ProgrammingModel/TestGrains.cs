using System.Collections.Concurrent;
using MossGrains.Runtime.Placement;

namespace MossGrains.Runtime.Tests.ProgrammingModel;

/// <summary>
/// Shared, in-process signals between tests and test grains: named gates the grains await and
/// named events they raise. Keys are unique per test so tests can run in parallel.
/// </summary>
public static class Probe
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Signals = new();
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Logs = new();

    public static TaskCompletionSource Signal(string name) =>
        Signals.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static Task WhenSignalled(string name) => Signal(name).Task;

    public static void Set(string name) => Signal(name).TrySetResult();

    public static void Log(string key, string entry) => Logs.GetOrAdd(key, _ => new ConcurrentQueue<string>()).Enqueue(entry);

    public static string[] Entries(string key) => Logs.TryGetValue(key, out var log) ? [.. log] : [];
}

public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>Logs "enter:{id}", waits for gate id, logs "exit:{id}".</summary>
    [ReadOnly]
    Task ReadAsync(string id);

    Task WriteAsync(string id);

    [AlwaysInterleave]
    Task PingAsync();
}

public class GateGrain : Grain, IGateGrain
{
    public Task ReadAsync(string id) => EnterAsync(id);

    public Task WriteAsync(string id) => EnterAsync(id);

    public Task PingAsync()
    {
        Probe.Log(GetPrimaryKeyString(), "ping");
        return Task.CompletedTask;
    }

    private async Task EnterAsync(string id)
    {
        Probe.Log(GetPrimaryKeyString(), $"enter:{id}");
        Probe.Set($"{GetPrimaryKeyString()}/entered:{id}");
        await Probe.WhenSignalled($"{GetPrimaryKeyString()}/release:{id}");
        Probe.Log(GetPrimaryKeyString(), $"exit:{id}");
    }
}

public interface IReentrantGateGrain : IGrainWithStringKey
{
    Task WaitAsync(string id);
}

[Reentrant]
public class ReentrantGateGrain : Grain, IReentrantGateGrain
{
    private int inside;

    public async Task WaitAsync(string id)
    {
        inside++;
        Probe.Log(GetPrimaryKeyString(), $"enter:{id}:{inside}");
        Probe.Set($"{GetPrimaryKeyString()}/entered:{id}");
        await Probe.WhenSignalled($"{GetPrimaryKeyString()}/release:{id}");
        inside--;
    }
}

public interface ILifecycleGrain : IGrainWithStringKey
{
    Task<string> GetKeyAsync();

    Task<int> IncrementAsync();

    Task DeactivateAsync();
}

[CollectionAgeLimit(Minutes = 2)]
public class LifecycleGrain : Grain, ILifecycleGrain
{
    private int count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Probe.Log(GetPrimaryKeyString(), "activate");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Probe.Log(GetPrimaryKeyString(), $"deactivate:{reason.ReasonCode}");
        Probe.Set($"{GetPrimaryKeyString()}/deactivated");
        return Task.CompletedTask;
    }

    public Task<string> GetKeyAsync() => Task.FromResult(this.GetPrimaryKeyString());

    public Task<int> IncrementAsync() => Task.FromResult(++count);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IDefaultAgeGrain : IGrainWithStringKey
{
    Task TouchAsync();

    /// <summary>An id of this activation (a new activation has a new id).</summary>
    Task<string> InstanceAsync();
}

public class DefaultAgeGrain : Grain, IDefaultAgeGrain
{
    private readonly string instance = Guid.NewGuid().ToString("N");

    public Task TouchAsync() => Task.CompletedTask;

    public Task<string> InstanceAsync() => Task.FromResult(instance);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Probe.Set($"{GetPrimaryKeyString()}/deactivated");
        return Task.CompletedTask;
    }
}

public sealed class OddException : Exception
{
    public OddException(int code)
        : base($"odd {code}")
    {
        Code = code;
    }

    public int Code { get; }
}

public interface IFaultyGrain : IGrainWithStringKey
{
    Task ThrowAsync(string message);

    ValueTask<int> ThrowOddAsync(int code);

    /// <summary>Waits until cancelled; logs "cancelled".</summary>
    Task WaitForCancellationAsync(CancellationToken cancellationToken);

    /// <summary>Waits until the test opens gate "{key}/release" (for timeouts).</summary>
    Task<int> HangAsync();

    Task<int> EchoAsync(int value);
}

public class FaultyGrain : Grain, IFaultyGrain
{
    public Task ThrowAsync(string message) => throw new InvalidOperationException(message);

    public ValueTask<int> ThrowOddAsync(int code) => throw new OddException(code);

    public async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        Probe.Set($"{GetPrimaryKeyString()}/waiting");
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

    public async Task<int> HangAsync()
    {
        await Probe.WhenSignalled($"{GetPrimaryKeyString()}/release");
        return 0;
    }

    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}

public interface ITimerGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);

    /// <summary>An ordinary turn: runs after any tick turn queued before it.</summary>
    Task<int> GetTicksAsync();

    Task StopAsync();
}

public class TimerGrain : Grain, ITimerGrain
{
    private IGrainTimer? timer;
    private int ticks;

    public Task StartAsync(TimeSpan period)
    {
        timer = RegisterGrainTimer(
            _ =>
            {
                ticks++;
                Probe.Set($"{GetPrimaryKeyString()}/tick:{ticks}");
                return Task.CompletedTask;
            },
            period,
            period);
        return Task.CompletedTask;
    }

    public Task<int> GetTicksAsync() => Task.FromResult(ticks);

    public Task StopAsync()
    {
        timer?.Dispose();
        return Task.CompletedTask;
    }
}

public interface IChainGrain : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="other"/> (a reference passed as an argument) and returns its key.</summary>
    Task<string> CallOtherAsync(ILifecycleGrain other);
}

[PreferLocalPlacement]
public class ChainGrain : Grain, IChainGrain
{
    public Task<string> CallOtherAsync(ILifecycleGrain other) => other.GetKeyAsync();
}

public interface IReminderTestGrain : IGrainWithStringKey
{
    Task RegisterAsync(string name, TimeSpan period);

    Task UnregisterAsync(string name);

    /// <summary>Deactivates after this call; activations and deactivations are logged under "{key}/life".</summary>
    Task DeactivateAsync();
}

public class ReminderTestGrain : Grain, IReminderTestGrain, IRemindable
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Probe.Log($"{GetPrimaryKeyString()}/life", "activate");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Probe.Log($"{GetPrimaryKeyString()}/life", "deactivate");
        Probe.Set($"{GetPrimaryKeyString()}/deactivated");
        return Task.CompletedTask;
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task RegisterAsync(string name, TimeSpan period) => RegisterOrUpdateReminder(name, period, period);

    public async Task UnregisterAsync(string name)
    {
        var reminder = await GetReminder(name);
        if (reminder is not null)
        {
            await UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Probe.Log(GetPrimaryKeyString(), $"tick:{reminderName}:{status.CurrentTickTime:O}");
        Probe.Set($"{GetPrimaryKeyString()}/tick:{Probe.Entries(GetPrimaryKeyString()).Length}");
        return Task.CompletedTask;
    }
}

public interface IPassThroughGrain : IGrainWithStringKey
{
    /// <summary>Returns its argument as received.</summary>
    Task<List<int>> ReturnAsync(List<int> value);
}

public class PassThroughGrain : Grain, IPassThroughGrain
{
    public Task<List<int>> ReturnAsync(List<int> value) => Task.FromResult(value);
}
