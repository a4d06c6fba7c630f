using System.Globalization;
using MossGrains.Runtime.Reminders;

namespace MossGrains.Runtime.Providers.InMemory;

/// <summary>Reminder table for a single process, with ETags and ring-range reads. Share one instance between the silos of a process.</summary>
public sealed class InMemoryReminderTable : IReminderTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId GrainId, string Name), ReminderEntry> _rows = [];
    private long _nextETag;

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken) =>
        Select(row => row.GrainId == grainId, cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(uint rangeStart, uint rangeEnd, CancellationToken cancellationToken) =>
        Select(row => RingRange.Contains(rangeStart, rangeEnd, row.GrainId.GetUniformHashCode()), cancellationToken);

    public Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault((grainId, reminderName)));
        }
    }

    public Task<string> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ReminderValidation.Validate(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            string etag = (++_nextETag).ToString(CultureInfo.InvariantCulture);
            _rows[(entry.GrainId, entry.ReminderName)] = entry with { ETag = etag };
            return Task.FromResult(etag);
        }
    }

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            bool matches = _rows.TryGetValue((grainId, reminderName), out var row) && row.ETag == etag;
            return Task.FromResult(matches && _rows.Remove((grainId, reminderName)));
        }
    }

    private Task<IReadOnlyList<ReminderEntry>> Select(Func<ReminderEntry, bool> predicate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>(_rows.Values.Where(predicate).ToList());
        }
    }
}
