namespace MossGrains.Runtime.Reminders;

/// <summary>A durable reminder: fires on its grain every <paramref name="Period"/> from <paramref name="StartAt"/>.</summary>
public sealed record ReminderEntry(GrainId GrainId, string ReminderName, DateTimeOffset StartAt, TimeSpan Period, string ETag = "");

/// <summary>
/// Durable storage for reminders (the Orleans IReminderTable contract). Silos own ranges of the
/// grain-id hash ring (<see cref="GrainId.GetUniformHashCode"/>) and read the rows in their ranges.
/// </summary>
public interface IReminderTable
{
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>
    /// Rows whose grain hash lies in the ring range (<paramref name="rangeStart"/>, <paramref name="rangeEnd"/>]:
    /// when rangeStart &lt; rangeEnd that is rangeStart &lt; h ≤ rangeEnd; otherwise it wraps (h &gt; rangeStart or h ≤ rangeEnd).
    /// </summary>
    Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(uint rangeStart, uint rangeEnd, CancellationToken cancellationToken);

    Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the row and returns its new ETag.</summary>
    Task<string> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes the row if its ETag still matches; false otherwise.</summary>
    Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string etag, CancellationToken cancellationToken);
}
