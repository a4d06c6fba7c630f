namespace MossGrains.Grains.Sessions;

/// <summary>
/// An Acknowledged session could not log a write to the store: the write is not acknowledged, and the session reloads
/// from the store on its next call (its memory may have held the unlogged write). Retry the write.
/// </summary>
[GenerateSerializer]
[Alias("moss.SessionWriteNotDurableException")]
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
