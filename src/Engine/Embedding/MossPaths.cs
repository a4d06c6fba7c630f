namespace MossGrains.Engine.Embedding;

/// <summary>
/// Well-known folders: the repository root (the folder holding <c>MossGrains.sln</c>, found by
/// walking up from the application base directory), native artefacts (<c>&lt;root&gt;/.native</c>,
/// env <c>MOSS_NATIVE_DIR</c>) and shared data (<c>&lt;root&gt;/../shared</c>, env <c>MOSS_SHARED_DIR</c>).
/// </summary>
public static class MossPaths
{
    /// <summary>The repository root, or null when the application does not run from a checkout.</summary>
    public static string? FindRepositoryRoot(string? startDirectory = null)
    {
        for (var directory = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MossGrains.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Where set-up installs npm packages and converted models.</summary>
    public static string NativeDirectory =>
        Environment.GetEnvironmentVariable("MOSS_NATIVE_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RequireRoot("MOSS_NATIVE_DIR"), ".native");

    /// <summary>Shared data (BEIR datasets, tokenizer files).</summary>
    public static string SharedDirectory =>
        Environment.GetEnvironmentVariable("MOSS_SHARED_DIR") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RequireRoot("MOSS_SHARED_DIR"), "..", "shared"));

    private static string RequireRoot(string variable) =>
        FindRepositoryRoot() ?? throw new InvalidOperationException(
            $"Cannot find the MossGrains repository root above '{AppContext.BaseDirectory}'; set {variable}.");
}
