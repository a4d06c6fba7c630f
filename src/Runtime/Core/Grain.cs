using MossGrains.Runtime.Catalog;
using MossGrains.Runtime.Timers;

namespace MossGrains.Runtime;

/// <summary>
/// Base class of grain implementations. One activation per grain id exists in the cluster; its
/// calls run as turns, one at a time unless interleaving is allowed ([ReadOnly],
/// [AlwaysInterleave], [Reentrant]). The runtime context (id, factory, timers, reminders) is
/// available from the constructor on.
/// </summary>
public abstract class Grain
{
    private readonly ActivationData activation;

    protected Grain()
    {
        activation = ActivationData.Constructing
            ?? throw new InvalidOperationException("Grains are created by the runtime; get a reference with IGrainFactory.GetGrain instead.");
    }

    /// <summary>The id of this grain.</summary>
    public GrainId GrainId => activation.GrainId;

    /// <summary>Creates references to other grains (or to this one).</summary>
    protected IGrainFactory GrainFactory => activation.Services.GrainFactory;

    /// <summary>The address of the silo hosting this activation (host:port@generation).</summary>
    protected string RuntimeIdentity => activation.Address.Silo.ToString();

    /// <summary>This grain's string key.</summary>
    public string GetPrimaryKeyString() => activation.GrainId.Key;

    /// <summary>Called before the first call is delivered to a new activation.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Called when the activation is deactivated (idle, requested, shutting down). The token is
    /// cancelled after <see cref="Hosting.SiloOptions.DeactivationTimeout"/>; after as long again the runtime stops waiting.
    /// </summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current call completes.</summary>
    protected void DeactivateOnIdle() =>
        activation.RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>
    /// Starts a timer whose callback runs as a turn of this activation (not interleaved with calls
    /// unless <see cref="GrainTimerCreationOptions.Interleave"/>); the next period starts after the
    /// callback completes. Timers stop when the activation deactivates.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(options);
        return GrainTimer.Start(activation, callback, options);
    }

    /// <inheritdoc cref="RegisterGrainTimer(Func{CancellationToken, Task}, GrainTimerCreationOptions)"/>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        RegisterGrainTimer(callback, new GrainTimerCreationOptions { DueTime = dueTime, Period = period });

    /// <summary>
    /// Registers (or changes) a durable reminder: <see cref="IRemindable.ReceiveReminder"/> is called
    /// every <paramref name="period"/>, surviving deactivation and silo failure. The grain class
    /// must implement <see cref="IRemindable"/>.
    /// </summary>
    protected Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken = default) =>
        activation.Services.Reminders.RegisterOrUpdateAsync(this, reminderName, dueTime, period, cancellationToken);

    /// <summary>Removes a durable reminder.</summary>
    protected Task UnregisterReminder(IGrainReminder reminder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        return activation.Services.Reminders.UnregisterAsync(GrainId, reminder.ReminderName, cancellationToken);
    }

    /// <summary>The reminder named <paramref name="reminderName"/>, or null.</summary>
    protected Task<IGrainReminder?> GetReminder(string reminderName, CancellationToken cancellationToken = default) =>
        activation.Services.Reminders.GetAsync(GrainId, reminderName, cancellationToken);

    internal ActivationData Activation => activation;
}

/// <summary>Options of a grain timer.</summary>
public sealed class GrainTimerCreationOptions
{
    /// <summary>Delay before the first tick. Default: zero.</summary>
    public TimeSpan DueTime { get; set; }

    /// <summary>Time between the end of one tick and the next; <see cref="Timeout.InfiniteTimeSpan"/> for one tick. Default: infinite.</summary>
    public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Whether ticks may interleave with calls. Default: false (ticks are ordinary turns).</summary>
    public bool Interleave { get; set; }

    /// <summary>Whether a tick counts as activity that keeps the activation from idle collection. Default: false.</summary>
    public bool KeepAlive { get; set; }
}
