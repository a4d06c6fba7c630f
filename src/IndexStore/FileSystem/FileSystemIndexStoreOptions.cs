namespace MossGrains.IndexStore.FileSystem;

/// <summary>Options of <see cref="FileSystemIndexStore"/>.</summary>
public sealed class FileSystemIndexStoreOptions
{
    /// <summary>Folder holding one sub-folder per key. Default <c>moss-data</c> under the working directory.</summary>
    public string RootDirectory { get; set; } = "moss-data";

    /// <summary>Versions kept per key besides the latest; older ones are pruned after a publish. Default 4.</summary>
    public int KeepVersions { get; set; } = 4;

    /// <summary>A version younger than this is never pruned, so a publisher still moving the pointer to it is safe. Default 1 minute.</summary>
    public TimeSpan PruneGrace { get; set; } = TimeSpan.FromMinutes(1);
}
