using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MossGrains.Runtime.Membership;

/// <summary>How one silo asks another whether it is alive, and tells it the table changed.</summary>
public interface IMembershipProbeClient
{
    /// <summary>True when <paramref name="target"/> (this exact generation) answered as Active within <paramref name="timeout"/>.</summary>
    Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Asks <paramref name="target"/> to re-read the membership table now (best effort).</summary>
    Task NotifyTableChangedAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// Probes over the silos' own HTTP/2 endpoint (cleartext, prior knowledge), on one pooled,
/// multiplexed connection per silo.
/// </summary>
public sealed class HttpMembershipProbeClient : IMembershipProbeClient, IDisposable
{
    internal const string ProbePath = "/moss/membership/probe";
    internal const string TableChangedPath = "/moss/membership/table-changed";

    private readonly HttpClient _client;
    private readonly TimeProvider _timeProvider;

    public HttpMembershipProbeClient(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            EnableMultipleHttp2Connections = false,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            using var response = await SendAsync(HttpMethod.Get, target, ProbePath, timeout, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task NotifyTableChangedAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            using var response = await SendAsync(HttpMethod.Post, target, TableChangedPath, timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Best effort: the target also reads the table on its own timer.
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, SiloAddress target, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var uri = new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"http://{FormatHost(target.Host)}:{target.Port}{path}?generation={target.Generation}"));
        // A hand-made request does not take the client's default version: set HTTP/2 prior knowledge here.
        using var request = new HttpRequestMessage(method, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
}

/// <summary>Maps the membership endpoints into a silo's Kestrel application.</summary>
public static class MembershipEndpointExtensions
{
    /// <summary>
    /// GET <c>/moss/membership/probe?generation=N</c>: 200 while <paramref name="membership"/> is Active
    /// with that generation, 503 otherwise (joining, shutting down, dead, or a different incarnation).
    /// POST <c>/moss/membership/table-changed</c>: re-read the table now.
    /// </summary>
    public static IEndpointRouteBuilder MapMembershipProbe(this IEndpointRouteBuilder endpoints, MembershipService membership)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(membership);
        endpoints.MapGet(HttpMembershipProbeClient.ProbePath, (long generation) =>
            membership.AnswersProbe(generation) ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        endpoints.MapPost(HttpMembershipProbeClient.TableChangedPath, () =>
        {
            membership.RequestRefresh();
            return Results.NoContent();
        });
        return endpoints;
    }
}
