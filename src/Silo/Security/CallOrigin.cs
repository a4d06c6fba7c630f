namespace MossGrains.Silo.Security;

/// <summary>
/// Who sent a grain call, from Orleans' own message header (<see cref="IGrainCallContext.SourceId"/> is the message's
/// sending grain), never from request-context values a caller can set. Orleans 10 fills the sender in as follows:
/// an external client's calls carry its client id (grain type <c>sys.client</c>, a random GUID key); a call from a grain
/// carries that grain's id; a system target's (reminders, directory) carries its <c>sys.svc.*</c> id; and code in a silo
/// outside any grain — the silo's own HTTP API through its in-silo <c>IClusterClient</c> — carries the silo's hosted
/// client id, <c>sys.client/hosted-{silo address}</c> (Orleans' <c>HostedClient.CreateHostedClientGrainId</c>).
/// </summary>
public static class CallOrigin
{
    private const string HostedClientPrefix = "hosted-";

    /// <summary>
    /// Whether the call came from an external client through a gateway. A call with no sender is treated as external
    /// (refused unless the client's credential allows it), so an unknown kind of sender never passes as internal.
    /// </summary>
    public static bool IsExternalClient(GrainId? source) =>
        source is not { } sender || (sender.IsClient() && !sender.Key.ToString().StartsWith(HostedClientPrefix, StringComparison.Ordinal));
}
