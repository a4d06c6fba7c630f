namespace MossGrains.Grains.Sessions;

/// <summary>
/// A session push (or checkpoint) was refused because this copy no longer writes on top of the latest version: another
/// writer of the same name (the live session grain, a local session, a job, another client) published
/// <see cref="FoundVersion"/> after this copy loaded or pushed <see cref="ExpectedVersion"/>, or another copy took
/// ownership of the session. Nothing was published, so nobody's writes were overwritten. HTTP answers 409. A local
/// session rebases its own writes onto the latest version with <c>IMossSession.RebaseAsync</c>; a live session grain
/// reloads from the store on its next call.
/// </summary>
[GenerateSerializer]
[Alias("moss.SessionVersionConflictException")]
public sealed class SessionVersionConflictException : InvalidOperationException
{
    public SessionVersionConflictException()
    {
    }

    public SessionVersionConflictException(string message)
        : base(message)
    {
    }

    public SessionVersionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SessionVersionConflictException(string key, string? expectedVersion, string? foundVersion, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Key = key;
        ExpectedVersion = expectedVersion;
        FoundVersion = foundVersion;
    }

    /// <summary>The session key <c>{project}/{name}</c>.</summary>
    [Id(0)]
    public string? Key { get; init; }

    /// <summary>The version this copy last loaded or pushed (null: none, the session was new).</summary>
    [Id(1)]
    public string? ExpectedVersion { get; init; }

    /// <summary>The version that is latest in the store (null: none).</summary>
    [Id(2)]
    public string? FoundVersion { get; init; }
}
