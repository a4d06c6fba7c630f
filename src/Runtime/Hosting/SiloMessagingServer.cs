using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Messaging;

namespace MossGrains.Runtime.Hosting;

/// <summary>
/// The silo's Kestrel endpoint: cleartext HTTP/2 only (prior knowledge, no TLS, no HTTP/1.1
/// upgrade), for calls from other silos and from clients (this silo acts as their gateway).
/// Kept in its own small web application so it never mixes with the user's own web host.
/// </summary>
internal sealed class SiloMessagingServer(SiloMessageEndpoint endpoint, IServiceProvider services) : IAsyncDisposable
{
    private WebApplication? app;

    /// <summary>Starts listening and returns the bound port (useful when the configured port is 0).</summary>
    public async Task<int> StartAsync(string host, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Parse(host), port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var web = builder.Build();
        web.MapPost(RemoteCallClient.CallPath, endpoint.HandleCallAsync);
        web.MapPost(SiloMessageEndpoint.ReminderChangedPath, endpoint.HandleReminderChangedAsync);
        if (services.GetService<MembershipService>() is { } membership)
        {
            web.MapMembershipProbe(membership);
        }

        await web.StartAsync(cancellationToken).ConfigureAwait(false);
        app = web;
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address).Port;
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
