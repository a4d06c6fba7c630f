using Microsoft.Extensions.Options;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Messaging;

namespace MossGrains.Runtime.Reminders;

/// <summary>
/// The grain-facing reminder API: stores the row, then tells the silo that owns the grain's ring
/// range to (re)schedule it (if that message is lost, the owner's periodic refresh finds it).
/// </summary>
internal sealed class ReminderRegistry(IReminderTable table, ReminderService service, LocalSiloDetails localSilo, RemoteCallClient remote, TimeProvider timeProvider, IOptions<ReminderOptions> options)
{
    public async Task<IGrainReminder> RegisterOrUpdateAsync(Grain grain, string reminderName, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reminderName);
        if (grain is not IRemindable)
        {
            throw new InvalidOperationException($"Grain class {grain.GetType().FullName} must implement IRemindable to register reminders.");
        }

        var minimum = options.Value.MinimumReminderPeriod;
        if (period < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"A reminder period must be at least ReminderOptions.MinimumReminderPeriod ({minimum}).");
        }

        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A reminder due time must be zero or more.");
        }

        var entry = new ReminderEntry(grain.GrainId, reminderName, timeProvider.GetUtcNow() + dueTime, period);
        await table.UpsertRowAsync(entry, cancellationToken).ConfigureAwait(false);
        await NotifyOwnerAsync(grain.GrainId, reminderName, cancellationToken).ConfigureAwait(false);
        return new GrainReminder(reminderName);
    }

    public async Task UnregisterAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var row = await table.ReadRowAsync(grainId, reminderName, cancellationToken).ConfigureAwait(false);
        if (row is not null)
        {
            await table.RemoveRowAsync(grainId, reminderName, row.ETag, cancellationToken).ConfigureAwait(false);
            await NotifyOwnerAsync(grainId, reminderName, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IGrainReminder?> GetAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var row = await table.ReadRowAsync(grainId, reminderName, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new GrainReminder(row.ReminderName);
    }

    private async Task NotifyOwnerAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var owner = service.GetOwner(grainId);
        if (owner is null || owner == localSilo.SiloAddress)
        {
            await service.OnReminderChangedAsync(grainId, reminderName, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await remote.PostAsync(owner.Endpoint, SiloMessageEndpoint.ReminderChangedPath, ReminderChangeCodec.Write(grainId, reminderName), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // The owner is unreachable; whoever owns the range next re-reads it on the membership change.
        }
    }

    private sealed record GrainReminder(string ReminderName) : IGrainReminder;
}
