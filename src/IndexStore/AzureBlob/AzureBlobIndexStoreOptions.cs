namespace MossGrains.IndexStore.AzureBlob;

/// <summary>Options of <see cref="AzureBlobIndexStore"/>.</summary>
public sealed class AzureBlobIndexStoreOptions
{
    /// <summary>Azure Storage connection string (an account's, or Azurite's). Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Container of this cluster's index binaries; created when missing. Give each cluster its own. Default <c>moss-indexes</c>.</summary>
    public string ContainerName { get; set; } = "moss-indexes";

    /// <summary>Versions kept per key besides the latest; older ones are pruned after a publish. Default 4.</summary>
    public int KeepVersions { get; set; } = 4;

    /// <summary>A version younger than this is never pruned, so a publisher still moving the pointer to it is safe. Default 1 minute.</summary>
    public TimeSpan PruneGrace { get; set; } = TimeSpan.FromMinutes(1);
}
