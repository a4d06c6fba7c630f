using MossGrains.Runtime.Placement;

namespace MossGrains.Runtime.TestSilo;

/// <summary>
/// Grains of the test silo. They report life-cycle events as lines on standard output
/// ("ACTIVATED key", "DEACTIVATED key reason", "TICK key reminder"), which the tests read.
/// </summary>
public interface IPingGrain : IGrainWithStringKey
{
    /// <summary>The silo hosting the activation (host:port@generation).</summary>
    Task<string> WhereAsync();

    Task<int> IncrementAsync();

    Task<int> EchoAsync(int value);

    Task ThrowAsync(string message);
}

public class PingGrain : Grain, IPingGrain
{
    private int count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        SiloOutput.WriteLine($"ACTIVATED {GetPrimaryKeyString()}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        SiloOutput.WriteLine($"DEACTIVATED {GetPrimaryKeyString()} {reason.ReasonCode}");
        return Task.CompletedTask;
    }

    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);

    public Task<int> IncrementAsync() => Task.FromResult(++count);

    public Task<int> EchoAsync(int value) => Task.FromResult(value);

    public Task ThrowAsync(string message) => throw new ArgumentException(message);
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task RegisterAsync(string name, TimeSpan period);
}

[HashBasedPlacement]
public class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public Task RegisterAsync(string name, TimeSpan period) => RegisterOrUpdateReminder(name, period, period);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        SiloOutput.WriteLine($"TICK {GetPrimaryKeyString()} {reminderName} {RuntimeIdentity}");
        return Task.CompletedTask;
    }
}

/// <summary>Line-atomic writes to standard output (several grains write concurrently).</summary>
public static class SiloOutput
{
    private static readonly Lock Gate = new();

    public static void WriteLine(string line)
    {
        lock (Gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
