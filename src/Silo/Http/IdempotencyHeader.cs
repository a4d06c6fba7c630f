using MossGrains.Client;
using MossGrains.Grains.Idempotency;

namespace MossGrains.Silo.Http;

/// <summary>
/// The <c>Idempotency-Key</c> header of a write (session add/delete/push, job submission): the write runs in a
/// <see cref="MossIdempotency.Scope"/> of that key, so the grain doing the work answers a retry with its first answer.
/// </summary>
internal static class IdempotencyHeader
{
    /// <summary>The scope of the request's key (dispose it after the write), or null when the request has none.</summary>
    public static IDisposable? Scope(HttpRequest request) =>
        request.Headers[IdempotencyKeys.Header] switch
        {
            [] => null,
            [{ } key] => MossIdempotency.Scope(key),
            _ => throw ProblemMapping.InvalidField(IdempotencyKeys.Header, $"Send one {IdempotencyKeys.Header} header, not several."),
        };
}
