using MossGrains.Grains.Idempotency;

namespace MossGrains.Client;

/// <summary>
/// Makes retried writes safe: a session write (add docs, delete docs, push) or a job submission made inside
/// <see cref="Scope"/> carries the key, and the grain doing the work answers a second request with the same key with
/// the first answer instead of doing the work again, also after a failover (the answers are kept in grain storage).
/// The same key on a different request is refused with <see cref="IdempotencyKeyReusedException"/>. Use one new key
/// (a UUID) per logical write, and the same key for its retries. The HTTP API opens a scope from the
/// <c>Idempotency-Key</c> header.
/// </summary>
public static class MossIdempotency
{
    /// <summary>Writes until the returned scope is disposed carry <paramref name="key"/> (1 to 255 printable ASCII characters).</summary>
    public static IDisposable Scope(string key)
    {
        IdempotencyKeys.Checked(key);
        var previous = IdempotencyKeys.Current;
        RequestContext.Set(IdempotencyKeys.RequestContextKey, key);
        return new Restore(previous);
    }

    /// <summary>The key of the enclosing <see cref="Scope"/>, if any.</summary>
    public static string? Current => IdempotencyKeys.Current;

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous is null)
            {
                RequestContext.Remove(IdempotencyKeys.RequestContextKey);
            }
            else
            {
                RequestContext.Set(IdempotencyKeys.RequestContextKey, previous);
            }
        }
    }
}
