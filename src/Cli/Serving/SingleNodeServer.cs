using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using MossGrains.Silo.Hosting;

namespace MossGrains.Cli.Serving;

/// <summary>
/// The silo of src/Silo hosted in this process on the embedded defaults: one node (Localhost clustering, in-memory
/// reminders and grain state), index binaries in a local folder, the HTTP API on 127.0.0.1.
/// </summary>
public static class SingleNodeServer
{
    /// <summary>
    /// Settings under everything else: the silo's appsettings.json (if it is beside the binaries) and environment
    /// variables (<c>Moss__Silo__SiloPort</c>, <c>Moss__Http__Projects__…</c>) still override them.
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:MossGrains"] = "Information",
        ["Logging:LogLevel:Orleans"] = "Error",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    /// <summary>Builds the server; <paramref name="port"/> and <paramref name="dataFolder"/> override any configuration.</summary>
    public static WebApplication Build(int port, string dataFolder)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        int afterJson = configuration.Sources.ToList().FindLastIndex(s => s is JsonConfigurationSource) + 1;
        configuration.Sources.Insert(afterJson, new MemoryConfigurationSource { InitialData = Defaults });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Moss:Silo:Clustering"] = nameof(ClusteringMode.Localhost),
            ["Moss:Silo:IndexFolder"] = dataFolder,
        });
        builder.UseMossSilo();
        var app = builder.Build();
        app.MapMossSilo();
        return app;
    }
}
