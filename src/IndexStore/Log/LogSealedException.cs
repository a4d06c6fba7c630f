namespace MossGrains.IndexStore.Log;

/// <summary>
/// An append went to a log segment that is sealed (another session copy took ownership and is replaying it) or gone (it
/// was replayed into a version and deleted); nothing was appended.
/// </summary>
public sealed class LogSealedException(string key, string segment, Exception? innerException = null)
    : IOException($"Log segment {segment} of '{key}' is sealed or gone: another copy owns the session; nothing was appended.", innerException)
{
    public string Key { get; } = key;

    public string Segment { get; } = segment;
}
