using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Messaging;

namespace MossGrains.Runtime.Hosting;

/// <summary>
/// The silo's <see cref="Http2Endpoint"/>: calls from other silos and from clients (this silo acts
/// as their gateway), reminder-change notices and membership probes.
/// </summary>
internal sealed class SiloMessagingServer(SiloMessageEndpoint endpoint, IServiceProvider services) : IAsyncDisposable
{
    private WebApplication? app;

    /// <summary>Starts listening and returns the bound port (useful when the configured port is 0).</summary>
    public async Task<int> StartAsync(string host, int port, CancellationToken cancellationToken)
    {
        var (web, boundPort) = await Http2Endpoint.StartAsync(IPAddress.Parse(host), port, web =>
        {
            web.MapPost(RemoteCallClient.CallPath, endpoint.HandleCallAsync);
            web.MapPost(SiloMessageEndpoint.ReminderChangedPath, endpoint.HandleReminderChangedAsync);
            if (services.GetService<MembershipService>() is { } membership)
            {
                web.MapMembershipProbe(membership);
            }
        }, cancellationToken).ConfigureAwait(false);
        app = web;
        return boundPort;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
