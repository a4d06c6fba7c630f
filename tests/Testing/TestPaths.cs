namespace MossGrains.Testing;

/// <summary>Where tests find what the build and the test set-up (eng/test.sh) prepare.</summary>
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

    /// <summary>
    /// A .NET application (<paramref name="dll"/>) copied next to the test binaries because the test project references
    /// <paramref name="project"/>; refuses when it is not there, naming the reference to add.
    /// </summary>
    public static string AppBesideTests(string dll, string project)
    {
        string path = Path.Combine(AppContext.BaseDirectory, dll);
        return File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json"))
            ? path
            : throw new FileNotFoundException($"{dll} is not next to the test binaries; reference {project} from the test project.", path);
    }

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
