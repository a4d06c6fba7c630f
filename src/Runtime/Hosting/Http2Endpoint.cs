using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MossGrains.Runtime.Hosting;

/// <summary>
/// A small web application of its own that speaks cleartext HTTP/2 only (prior knowledge, no TLS,
/// no HTTP/1.1 upgrade): what a silo listens with, kept apart from any web host of the user's.
/// </summary>
internal static class Http2Endpoint
{
    /// <summary>Maps the routes, starts listening and returns the application with its bound port (useful when <paramref name="port"/> is 0).</summary>
    public static async Task<(WebApplication App, int Port)> StartAsync(
        IPAddress address, int port, Action<WebApplication> mapRoutes, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        mapRoutes(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(bound).Port);
    }
}
