namespace MossGrains.IndexStore.Sessions;

/// <summary>
/// An Acknowledged session could not log a write to the store: the write is not acknowledged, and the session must be
/// reopened (its in-memory state may hold the unlogged write).
/// </summary>
public sealed class SessionWriteNotDurableException : IOException
{
    public SessionWriteNotDurableException()
    {
    }

    public SessionWriteNotDurableException(string message)
        : base(message)
    {
    }

    public SessionWriteNotDurableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
