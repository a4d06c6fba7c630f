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
    /// <see cref="MossGrainStorage.Name"/>. The catalog resolves models by name only (<see cref="EmbedderOptions.AllowFolderIds"/>
    /// false): what reaches a grain names a built-in model, an alias, <c>custom</c> or a model of
    /// <see cref="EmbedderOptions.Models"/>, which <paramref name="configureModels"/> sets (the silo binds <c>Moss:Models</c>).
    /// <see cref="MossGrainStorage.Name"/>. Per-project quotas take <see cref="Limits.MossLimitsOptions"/> (their defaults unless
    /// configured, e.g. with <c>services.Configure&lt;MossLimitsOptions&gt;(configuration.GetSection("Moss:Limits"))</c>).
    /// </summary>
    public static ISiloBuilder AddMossGrains(this ISiloBuilder silo, Action<DurableSessionOptions>? configure = null, Action<EmbedderOptions>? configureModels = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddOptions<EmbedderOptions>().Configure(o =>
        {
            o.AllowFolderIds = false;
            configureModels?.Invoke(o);
        });
        silo.Services.AddOptions<DurableSessionOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o =>
            {
                o.Validate();
                return true;
            });
        silo.Services.AddOptions<Limits.MossLimitsOptions>()
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(sp => new EmbedderCatalog(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbedderOptions>>().Value));
        silo.Services.TryAddSingleton<Indexes.PublishedIndexKeys>();
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<Telemetry.MossMetrics>();
        silo.Services.AddHostedService<DefaultModelWarmup>();
        silo.Services.TryAddSingleton<Registry.ProjectRegistryReader>();
        silo.Services.AddSingleton<Registry.LoadedIndexRevival>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<Registry.LoadedIndexRevival>());
        silo.AddIncomingGrainCallFilter<EngineExceptionFilter>();
        silo.AddIncomingGrainCallFilter<Idempotency.IdempotencyFilter>();
        // Loaded indexes accept refresh intervals down to 10 s; Orleans' own floor is one minute.
        silo.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = Indexes.LoadIndexRequest.MinimumPollingInterval);
        return silo;
    }
}
