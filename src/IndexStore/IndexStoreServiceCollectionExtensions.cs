using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MossGrains.IndexStore.AzureBlob;
using MossGrains.IndexStore.FileSystem;

namespace MossGrains.IndexStore;

/// <summary>Registers the <see cref="IIndexStore"/> a host keeps its index binaries in.</summary>
public static class IndexStoreServiceCollectionExtensions
{
    /// <summary>Index binaries in a local folder (single node, embedded mode).</summary>
    public static IServiceCollection AddFileSystemIndexStore(this IServiceCollection services, Action<FileSystemIndexStoreOptions>? configure = null)
    {
        services.AddOptions<FileSystemIndexStoreOptions>().Configure(o => configure?.Invoke(o));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IIndexStore, FileSystemIndexStore>();
        return services;
    }

    /// <summary>Index binaries in Azure Blob Storage (cluster mode; Azurite locally).</summary>
    public static IServiceCollection AddAzureBlobIndexStore(this IServiceCollection services, Action<AzureBlobIndexStoreOptions> configure)
    {
        services.AddOptions<AzureBlobIndexStoreOptions>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IIndexStore, AzureBlobIndexStore>();
        return services;
    }
}
