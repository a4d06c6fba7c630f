namespace MossGrains.Grains.Idempotency;

/// <summary>
/// A write carried an idempotency key already used, within the remembered window, for a different request (another
/// body, operation or target): nothing was done. Use a new key for a new request (HTTP: 422 naming the header).
/// </summary>
[GenerateSerializer]
[Alias("moss.IdempotencyKeyReusedException")]
public sealed class IdempotencyKeyReusedException : Exception
{
    public IdempotencyKeyReusedException()
    {
    }

    public IdempotencyKeyReusedException(string message)
        : base(message)
    {
    }

    public IdempotencyKeyReusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The message for <paramref name="key"/>.</summary>
    public static IdempotencyKeyReusedException For(string key) =>
        new($"{IdempotencyKeys.Header} '{key}' was already used for a different request (another body or operation); nothing was done. Use a new key for a new request.");
}
