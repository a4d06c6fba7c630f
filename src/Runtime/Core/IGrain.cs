namespace MossGrains.Runtime;

/// <summary>Marker for grain interfaces. Every method must return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
public interface IGrain;

/// <summary>A grain interface whose grains are identified by a string key.</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>Implemented by grains that register durable reminders.</summary>
public interface IRemindable : IGrain
{
    /// <summary>Called on every tick of a durable reminder registered by this grain.</summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>Describes one reminder tick.</summary>
/// <param name="FirstTickTime">When the reminder was first due.</param>
/// <param name="Period">The reminder's period.</param>
/// <param name="CurrentTickTime">When this tick was due.</param>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);

/// <summary>Creates grain references. Getting a reference never activates anything.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrainInterface"/> with <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}

/// <summary>The reference to a durable reminder returned by registration.</summary>
public interface IGrainReminder
{
    string ReminderName { get; }
}

/// <summary>A grain timer; dispose it to stop it.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes due time and period; the next tick is <paramref name="dueTime"/> from now.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
