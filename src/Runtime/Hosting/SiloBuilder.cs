using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MossGrains.Runtime.Catalog;
using MossGrains.Runtime.GrainDirectory;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Messaging;
using MossGrains.Runtime.Metadata;
using MossGrains.Runtime.Placement;
using MossGrains.Runtime.Reminders;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime.Hosting;

/// <summary>Configures a silo: clustering and reminder providers, grain assemblies, options.</summary>
public interface ISiloBuilder
{
    IServiceCollection Services { get; }
}

internal sealed class SiloBuilder(IServiceCollection services) : ISiloBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>Adds a MossGrains silo to a .NET host (the Orleans UseOrleans counterpart).</summary>
public static class SiloHostingExtensions
{
    /// <summary>Runs a silo in this host; <paramref name="configure"/> picks providers and grains.</summary>
    public static IHostBuilder UseMossGrainsSilo(this IHostBuilder hostBuilder, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(hostBuilder);
        ArgumentNullException.ThrowIfNull(configure);
        return hostBuilder.ConfigureServices(services => AddSilo(services, configure));
    }

    /// <inheritdoc cref="UseMossGrainsSilo(IHostBuilder, Action{ISiloBuilder})"/>
    public static IHostApplicationBuilder UseMossGrainsSilo(this IHostApplicationBuilder hostBuilder, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(hostBuilder);
        ArgumentNullException.ThrowIfNull(configure);
        AddSilo(hostBuilder.Services, configure);
        return hostBuilder;
    }

    private static void AddSilo(IServiceCollection services, Action<ISiloBuilder> configure)
    {
        if (services.Any(s => s.ServiceType == typeof(Silo)))
        {
            throw new InvalidOperationException("UseMossGrainsSilo was already called on this host.");
        }

        var builder = new SiloBuilder(services);
        AddSiloServices(services);
        configure(builder);
        if (!services.Any(s => s.ServiceType == typeof(ISiloMembership)))
        {
            throw new InvalidOperationException("Choose a clustering provider: UseLocalhostClustering() or UsePostgresClustering(connectionString).");
        }
    }

    private static void AddSiloServices(IServiceCollection services)
    {
        services.AddOptions<SiloOptions>();
        services.AddOptions<MessagingOptions>();
        services.AddOptions<GrainCollectionOptions>();
        services.AddOptions<ReminderOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new GrainAssembly(typeof(IRemindable).Assembly));
        services.AddSingleton(sp => new LocalSiloDetails(sp.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName));
        services.AddSingleton<ILocalSiloDetails>(sp => sp.GetRequiredService<LocalSiloDetails>());
        services.AddSingleton<GrainTypeRegistry>();
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<Catalog.Catalog>();
        services.AddSingleton<LocalGrainDirectory>();
        services.AddSingleton(sp => new PlacementService(
            sp.GetRequiredService<IClusterMembershipView>(),
            sp.GetRequiredService<LocalSiloDetails>(),
            () => sp.GetRequiredService<Catalog.Catalog>().ActivationCount));
        services.AddSingleton<SiloCallRouter>();
        services.AddSingleton<IGrainCallInvoker>(sp => sp.GetRequiredService<SiloCallRouter>());
        services.AddSingleton(sp => new GrainFactory(sp.GetRequiredService<GrainTypeRegistry>(), () => sp.GetRequiredService<IGrainCallInvoker>()));
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainFactory>());
        services.AddSingleton<IGrainReferenceConverter>(sp => sp.GetRequiredService<GrainFactory>());
        services.TryAddSingleton<IMessageSerializer>(sp => new BinaryMessageSerializer(sp.GetRequiredService<IGrainReferenceConverter>()));
        services.AddSingleton<MessageCodec>();
        services.AddSingleton<RemoteCallClient>();
        services.AddSingleton<SiloMessageEndpoint>();
        services.AddSingleton<SiloMessagingServer>();
        services.AddSingleton(sp => new ReminderService(
            sp.GetRequiredService<IReminderTable>(),
            sp.GetRequiredService<IClusterMembershipView>(),
            sp.GetRequiredService<LocalSiloDetails>(),
            () => sp.GetRequiredService<IGrainCallInvoker>(),
            sp.GetRequiredService<GrainTypeRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ReminderOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ReminderService>>()));
        services.AddSingleton<ReminderRegistry>();
        services.AddSingleton<Silo>();
        services.AddHostedService(sp => sp.GetRequiredService<Silo>());
    }
}

/// <summary>Provider and grain registration for <see cref="ISiloBuilder"/>.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// A single-process cluster with in-memory membership, directory and reminders (development and
    /// tests). The silo listens on 127.0.0.1:<paramref name="siloPort"/> (0 = any free port) so clients can connect.
    /// </summary>
    public static ISiloBuilder UseLocalhostClustering(this ISiloBuilder builder, int siloPort = 11111, string clusterId = "dev")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<SiloOptions>(o =>
        {
            o.Host = "127.0.0.1";
            o.Port = siloPort;
            o.ClusterId = clusterId;
        });
        var services = builder.Services;
        services.AddSingleton<LocalSiloMembershipView>();
        services.AddSingleton<IClusterMembershipView>(sp => sp.GetRequiredService<LocalSiloMembershipView>());
        services.AddSingleton<ISiloMembership, LocalSiloMembership>();
        services.TryAddSingleton<IGrainDirectory, Providers.InMemory.InMemoryGrainDirectory>();
        services.TryAddSingleton<IReminderTable, Providers.InMemory.InMemoryReminderTable>();
        return builder;
    }

    /// <summary>Registers the grain interfaces and classes of <paramref name="assembly"/>.</summary>
    public static ISiloBuilder AddGrains(this ISiloBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(assembly);
        builder.Services.AddSingleton(new GrainAssembly(assembly));
        return builder;
    }

    /// <summary>Configures one of the silo's options classes.</summary>
    public static ISiloBuilder Configure<TOptions>(this ISiloBuilder builder, Action<TOptions> configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }
}
