using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using MossGrains.Silo.Hosting;
using MossGrains.Testing;

namespace MossGrains.Console.Tests;

/// <summary>
/// The console comes from the silo assembly, not from the entry application's files: a silo hosted inside another
/// application (here the test host, as <c>moss serve</c> hosts it) serves the same page and assets.
/// </summary>
public sealed class HostedConsoleTests
{
    [Fact]
    public async Task A_silo_hosted_in_another_application_serves_the_console()
    {
        var folder = Directory.CreateTempSubdirectory("moss-console-host-");
        int httpPort = FreePort.OnLoopback();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = folder.FullName });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moss:Silo:SiloPort"] = FreePort.OnLoopback().ToString(CultureInfo.InvariantCulture),
            ["Moss:Silo:GatewayPort"] = FreePort.OnLoopback().ToString(CultureInfo.InvariantCulture),
            ["Moss:Silo:IndexFolder"] = Path.Combine(folder.FullName, "indexes"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{httpPort}");
        builder.UseMossSilo();
        await using var app = builder.Build();
        app.MapMossSilo();
        try
        {
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };

            using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<title>MossGrains console</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            foreach (var (asset, type) in new[] { ("/console/console.js", "text/javascript"), ("/console/console.css", "text/css") })
            {
                using var response = await http.GetAsync(new Uri(asset, UriKind.Relative));
                Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
                Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
                Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
            }
        }
        finally
        {
            await app.StopAsync();
            folder.Delete(recursive: true);
        }
    }
}
