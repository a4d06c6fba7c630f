namespace MossGrains.Testing;

/// <summary>Folders the test set-up (eng/test.sh) prepares.</summary>
public static class TestPaths
{
    /// <summary>The git-ignored <c>.native</c> folder: <c>MOSS_NATIVE_DIR</c>, else found above the test binaries.</summary>
    public static string NativeDirectory =>
        Environment.GetEnvironmentVariable("MOSS_NATIVE_DIR") is { Length: > 0 } dir ? dir
        : FindAbove(AppContext.BaseDirectory, ".native", Directory.Exists)
          ?? throw new DirectoryNotFoundException("No .native folder: run the tests through ./eng/test.sh (it installs Azurite and the models there).");

    /// <summary>The checkout: the folder above the test binaries that holds <c>MossGrains.sln</c>.</summary>
    public static string RepositoryRoot =>
        Path.GetDirectoryName(FindAbove(AppContext.BaseDirectory, "MossGrains.sln", File.Exists) ?? throw new DirectoryNotFoundException("No MossGrains.sln above the test binaries."))!;

    private static string? FindAbove(string start, string name, Func<string, bool> exists)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, name);
            if (exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
