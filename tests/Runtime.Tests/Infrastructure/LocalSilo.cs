using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MossGrains.Runtime.Hosting;

namespace MossGrains.Runtime.Tests.Infrastructure;

/// <summary>A single-process silo (UseLocalhostClustering on a free port) for programming-model tests.</summary>
public sealed class LocalSilo : IAsyncDisposable
{
    private readonly IHost host;

    private LocalSilo(IHost host)
    {
        this.host = host;
        GrainFactory = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory GrainFactory { get; }

    public IServiceProvider Services => host.Services;

    public SiloAddress SiloAddress => host.Services.GetRequiredService<LocalSiloDetails>().SiloAddress;

    public static async Task<LocalSilo> StartAsync(TimeProvider? timeProvider = null, Action<ISiloBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.UseMossGrainsSilo(silo =>
        {
            silo.UseLocalhostClustering(siloPort: 0).AddGrains(typeof(LocalSilo).Assembly);
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new LocalSilo(host);
    }

    public Task StopAsync() => host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
