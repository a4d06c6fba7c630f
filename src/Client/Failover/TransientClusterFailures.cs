using Orleans.Runtime.Messaging;
using MossGrains.Grains.Sessions;
using Orleans.Storage;

namespace MossGrains.Client;

/// <summary>
/// Orleans' exceptions that mean "the cluster is changing or busy: the same call can succeed soon" (read from the
/// Orleans source: <c>CallbackData</c>, <c>MessageCenter</c>, <c>GatewayManager</c>, <c>ConnectionManager</c>,
/// <c>LocalGrainDirectory</c>, placement), as opposed to a refusal of the request itself.
/// </summary>
public static class TransientClusterFailures
{
    /// <summary>
    /// Whether <paramref name="exception"/> is one of them:
    /// <list type="bullet">
    /// <item><see cref="OrleansMessageRejectionException"/>, including <see cref="SiloUnavailableException"/>: the target
    /// silo died, is known dead, is shutting down, or the message could not be forwarded to the grain's new place;</item>
    /// <item><see cref="TimeoutException"/>: no answer within the response timeout (a hung silo);</item>
    /// <item><see cref="ConnectionFailedException"/>: no connection to a gateway or silo (yet);</item>
    /// <item><see cref="GatewayTooBusyException"/>, <see cref="LimitExceededException"/>: overloaded gateway or activation;</item>
    /// <item><see cref="OrleansLifecycleCanceledException"/>: a host starting or stopping;</item>
    /// <item><see cref="InconsistentStateException"/>: grain state written by another activation (the activation is
    /// dropped; the next call reads the state again);</item>
    /// <item>a plain <see cref="OrleansException"/> (not a subclass): the grain directory is not stable while
    /// membership changes ("Retry later", "hop limit is reached"), or no compatible silo is active yet.</item>
    /// </list>
    /// A <see cref="HydrationPendingException"/> (a <see cref="TimeoutException"/>) is not one: the call already waited
    /// its bound, and is answered 503 with the hydration's own <c>Retry-After</c>.
    /// </summary>
    public static bool Is(Exception exception) => exception is not HydrationPendingException and (
        OrleansMessageRejectionException or
        TimeoutException or
        ConnectionFailedException or
        GatewayTooBusyException or
        LimitExceededException or
        OrleansLifecycleCanceledException or
        InconsistentStateException) ||
        exception.GetType() == typeof(OrleansException);
}
