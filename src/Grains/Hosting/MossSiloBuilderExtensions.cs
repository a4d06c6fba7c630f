using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MossGrains.Engine.Embedding;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Grains;

/// <summary>Adds MossGrains' grains and the services they need to an Orleans silo.</summary>
public static class MossSiloBuilderExtensions
{
    /// <summary>
    /// Registers the embedder catalog (its default model is loaded while the host starts) and the session options. The silo must also have an index store
    /// (<c>services.AddFileSystemIndexStore()</c> or <c>AddAzureBlobIndexStore()</c>) and a grain storage named
    /// <see cref="MossGrainStorage.Name"/>.
    /// </summary>
    public static ISiloBuilder AddMossGrains(this ISiloBuilder silo, Action<DurableSessionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddOptions<DurableSessionOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o =>
            {
                o.Validate();
                return true;
            });
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(_ => new EmbedderCatalog());
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<Telemetry.MossMetrics>();
        silo.Services.AddHostedService<DefaultModelWarmup>();
        silo.Services.TryAddSingleton<Registry.ProjectRegistryReader>();
        silo.Services.AddSingleton<Registry.LoadedIndexRevival>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<Registry.LoadedIndexRevival>());
        silo.AddIncomingGrainCallFilter<EngineExceptionFilter>();
        // Loaded indexes accept refresh intervals down to 10 s; Orleans' own floor is one minute.
        silo.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = Indexes.LoadIndexRequest.MinimumPollingInterval);
        return silo;
    }
}
