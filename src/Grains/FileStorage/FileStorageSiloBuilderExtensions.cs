using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MossGrains.Grains.FileStorage;

/// <summary>Grain storage and reminders in a local folder, for a single-node silo (docs/cluster.md).</summary>
public static class FileStorageSiloBuilderExtensions
{
    /// <summary>Adds a grain storage provider named <paramref name="name"/> that keeps each grain state in a file under <see cref="FileGrainStorageOptions.RootDirectory"/>.</summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, Action<FileGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices(services =>
        {
            services.AddOptions<FileGrainStorageOptions>(name)
                .Configure(configure)
                .Validate(o => !string.IsNullOrWhiteSpace(o.RootDirectory), $"File grain storage '{name}': RootDirectory is required.");
            services.AddTransient<IPostConfigureOptions<FileGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<FileGrainStorageOptions>>();
            services.AddGrainStorage(name, static (provider, storageName) => new FileGrainStorage(
                storageName,
                provider.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(storageName),
                provider.GetRequiredService<IActivatorProvider>(),
                provider.GetRequiredService<ILogger<FileGrainStorage>>()));
        });
    }

    /// <summary>Keeps the silo's reminders in files under <see cref="FileReminderTableOptions.RootDirectory"/>.</summary>
    public static ISiloBuilder UseFileReminderService(this ISiloBuilder builder, Action<FileReminderTableOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddReminders();
        return builder.ConfigureServices(services =>
        {
            services.AddOptions<FileReminderTableOptions>()
                .Configure(configure)
                .Validate(o => !string.IsNullOrWhiteSpace(o.RootDirectory), "File reminder table: RootDirectory is required.");
            services.AddSingleton<IReminderTable, FileReminderTable>();
        });
    }
}
