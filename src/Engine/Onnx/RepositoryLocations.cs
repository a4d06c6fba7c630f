namespace MossGrains.Engine.Onnx;

/// <summary>
/// Folders of a MossGrains checkout: the repository root (holds <c>MossGrains.sln</c>, found by
/// walking up from the application), native artefacts (env <c>MOSS_NATIVE_DIR</c>, else
/// <c>&lt;root&gt;/.native</c>) and shared data (env <c>MOSS_SHARED_DIR</c>, else <c>&lt;root&gt;/../shared</c>).
/// </summary>
internal static class RepositoryLocations
{
    /// <summary>The repository root above the application, or null when it does not run from a checkout.</summary>
    public static string? FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MossGrains.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    public static string? NativeDirectory(Func<string, string?> environment) =>
        environment("MOSS_NATIVE_DIR") is { Length: > 0 } configured ? configured
        : FindRoot() is { } root ? Path.Combine(root, ".native")
        : null;

    public static string? SharedDirectory(Func<string, string?> environment) =>
        environment("MOSS_SHARED_DIR") is { Length: > 0 } configured ? configured
        : FindRoot() is { } root ? Path.GetFullPath(Path.Combine(root, "..", "shared"))
        : null;

    /// <summary><see cref="NativeDirectory"/> from the process environment; throws when there is none.</summary>
    public static string RequireNativeDirectory() =>
        NativeDirectory(Environment.GetEnvironmentVariable)
        ?? throw new InvalidOperationException($"No MossGrains.sln above '{AppContext.BaseDirectory}': set MOSS_NATIVE_DIR.");

    /// <summary><see cref="SharedDirectory"/> from the process environment; throws when there is none.</summary>
    public static string RequireSharedDirectory() =>
        SharedDirectory(Environment.GetEnvironmentVariable)
        ?? throw new InvalidOperationException($"No MossGrains.sln above '{AppContext.BaseDirectory}': set MOSS_SHARED_DIR.");
}
