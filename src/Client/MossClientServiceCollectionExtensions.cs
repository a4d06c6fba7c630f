using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Client.Cluster;
using MossGrains.Client.Embedded;

namespace MossGrains.Client;

/// <summary>Registers an <see cref="IMossClient"/> in an application's services.</summary>
public static class MossClientServiceCollectionExtensions
{
    /// <summary>
    /// Cluster mode over the app's own Orleans client (configure it with <c>builder.UseOrleansClient(c =&gt; MossClient.ConfigureOrleansClient(c, options))</c>,
    /// or run inside a silo). <paramref name="configure"/> sets where local sessions find the index store; a
    /// <see cref="MossClusterClientOptions.Project"/> set here must be the one the Orleans client was configured with
    /// (ConfigureOrleansClient puts the project's credential on every call), or resolving the client fails saying so.
    /// </summary>
    public static IServiceCollection AddMossClient(this IServiceCollection services, Action<MossClusterClientOptions>? configure = null)
    {
        services.AddOptions<MossClusterClientOptions>().Configure(o => configure?.Invoke(o));
        services.AddSingleton<IMossClient>(sp =>
            MossClient.FromOrleansClient(sp.GetRequiredService<IClusterClient>(), sp.GetRequiredService<IOptions<MossClusterClientOptions>>().Value));
        return services;
    }

    /// <summary>Embedded mode: sessions in this process, index binaries in a local folder.</summary>
    public static IServiceCollection AddMossEmbedded(this IServiceCollection services, Action<EmbeddedMossOptions>? configure = null)
    {
        services.AddOptions<EmbeddedMossOptions>().Configure(o => configure?.Invoke(o));
        services.AddSingleton<IMossClient>(sp => MossClient.CreateEmbedded(sp.GetRequiredService<IOptions<EmbeddedMossOptions>>().Value, sp.GetService<ILoggerFactory>()));
        return services;
    }
}
