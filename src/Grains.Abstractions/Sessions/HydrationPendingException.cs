namespace MossGrains.Grains.Sessions;

/// <summary>
/// A session or loaded index is still hydrating from the store after the caller waited the configured bound
/// (<c>Moss:Sessions:HydrationWait</c>). Nothing failed: the hydration goes on, and the same call succeeds once it is
/// done. Retry after <see cref="RetryAfter"/>.
/// </summary>
[GenerateSerializer]
[Alias("moss.HydrationPendingException")]
public sealed class HydrationPendingException : TimeoutException
{
    public HydrationPendingException()
    {
    }

    public HydrationPendingException(string message)
        : base(message)
    {
    }

    public HydrationPendingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HydrationPendingException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>When a retry is worth trying.</summary>
    [Id(0)]
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);
}
