using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MossGrains.Runtime.Client;

/// <summary>Registers an external cluster client in a .NET host (the Orleans UseOrleansClient counterpart).</summary>
public static class ClientHostingExtensions
{
    /// <summary>
    /// Adds a <see cref="MossClusterClient"/> as the host's <see cref="IGrainFactory"/>; do not combine
    /// with UseMossGrainsSilo (a silo already provides a co-hosted IGrainFactory).
    /// </summary>
    public static IHostApplicationBuilder UseMossGrainsClient(this IHostApplicationBuilder hostBuilder, Action<MossClusterClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(hostBuilder);
        ArgumentNullException.ThrowIfNull(configure);
        if (hostBuilder.Services.Any(s => s.ServiceType == typeof(IGrainFactory)))
        {
            throw new InvalidOperationException("This host already has an IGrainFactory (a silo, or UseMossGrainsClient called twice).");
        }

        var builder = new MossClusterClientBuilder();
        configure(builder);
        hostBuilder.Services.AddSingleton(_ => builder.Build());
        hostBuilder.Services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<MossClusterClient>());
        return hostBuilder;
    }
}
