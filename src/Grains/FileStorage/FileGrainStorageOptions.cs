using Orleans.Storage;

namespace MossGrains.Grains.FileStorage;

/// <summary>Options of <see cref="FileGrainStorage"/>.</summary>
public sealed class FileGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Folder the state files are kept in (one sub-folder per state name). Required.</summary>
    public string RootDirectory { get; set; } = "";

    /// <summary>How state is serialized; default: the silo's <see cref="IGrainStorageSerializer"/>.</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}

/// <summary>Options of <see cref="FileReminderTable"/>.</summary>
public sealed class FileReminderTableOptions
{
    /// <summary>Folder the reminder files are kept in (one file per grain with reminders). Required.</summary>
    public string RootDirectory { get; set; } = "";
}
