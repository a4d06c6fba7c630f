namespace MossGrains.Client;

/// <summary>
/// The cluster could not answer now, but will: a silo died or hung and its grains are moving to survivors, or a silo is
/// overloaded. Nothing is known to be broken and the request may be sent again after <see cref="RetryAfter"/> (the HTTP
/// API answers 503 with <c>Retry-After</c>). Idempotent calls (queries, reads, upserts by id) were already retried for
/// <see cref="Cluster.MossClusterClientOptions.RetryDeadline"/> before this is thrown; other writes are not retried, so
/// one that fails this way may or may not have been applied: send it again with the same idempotency key
/// (<see cref="MossIdempotency"/>) to have it applied once. <see cref="Exception.InnerException"/> is Orleans' exception.
/// </summary>
public sealed class MossUnavailableException : Exception
{
    public MossUnavailableException()
        : this("The cluster is unavailable; retry.")
    {
    }

    public MossUnavailableException(string message)
        : base(message)
    {
    }

    public MossUnavailableException(string message, Exception innerException)
        : this(message, innerException, DefaultRetryAfter)
    {
    }

    public MossUnavailableException(string message, Exception innerException, TimeSpan retryAfter)
        : base(message, innerException) =>
        RetryAfter = retryAfter;

    /// <summary>What a caller should wait before retrying when nothing better is known: a failover takes seconds.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait before sending the request again.</summary>
    public TimeSpan RetryAfter { get; } = DefaultRetryAfter;
}
