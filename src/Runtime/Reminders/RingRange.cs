namespace MossGrains.Runtime.Reminders;

/// <summary>Ring ranges over the 32-bit grain hash, as <see cref="IReminderTable"/> defines them.</summary>
public static class RingRange
{
    /// <summary>
    /// True when <paramref name="hash"/> lies in (<paramref name="start"/>, <paramref name="end"/>]; when
    /// start ≥ end the range wraps past <see cref="uint.MaxValue"/> (start = end is the whole ring).
    /// </summary>
    public static bool Contains(uint start, uint end, uint hash) =>
        start < end ? hash > start && hash <= end : hash > start || hash <= end;
}

/// <summary>Argument checks shared by the reminder table implementations.</summary>
internal static class ReminderValidation
{
    public static void Validate(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.ReminderName, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.GrainId.Type, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.GrainId.Key, nameof(entry));
        if (entry.Period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Period, "A reminder's Period must be positive.");
        }
    }
}
