namespace MossGrains.Engine.Onnx;

/// <summary>
/// Finds ONNX Runtime's native library. In order: the file or folder named by env
/// <c>MOSS_ONNXRUNTIME_PATH</c> (when set, nothing else is tried, so a wrong setting is reported
/// rather than silently bypassed); <c>&lt;native&gt;/onnxruntime/</c> where eng/setup.sh installs
/// it (<c>&lt;native&gt;</c> = env <c>MOSS_NATIVE_DIR</c>, else <c>.native</c> in the repository
/// holding <c>MossGrains.sln</c> above the application); the application's own folder.
/// </summary>
public static class OrtLibraryLocator
{
    /// <summary>Environment variable naming the library file, or the folder holding it.</summary>
    public const string PathVariable = "MOSS_ONNXRUNTIME_PATH";

    internal static string FixHint =>
        $"Fix: run eng/setup.sh (installs libonnxruntime from npm onnxruntime-node@1.30.0 into .native/onnxruntime/), " +
        $"or set {PathVariable} to an ONNX Runtime library file or the folder holding it (e.g. the lib/ folder of Microsoft's onnxruntime-linux-x64 release).";

    /// <summary>File names ONNX Runtime's library has on this operating system, preferred first.</summary>
    public static IReadOnlyList<string> LibraryFileNames { get; } =
        OperatingSystem.IsWindows() ? ["onnxruntime.dll"]
        : OperatingSystem.IsMacOS() ? ["libonnxruntime.dylib"]
        : ["libonnxruntime.so.1", "libonnxruntime.so"];

    /// <summary>The library path to load; throws <see cref="DllNotFoundException"/> naming each path tried and the fix.</summary>
    public static string Locate() => Locate(Environment.GetEnvironmentVariable);

    internal static string Locate(Func<string, string?> environment)
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates(environment))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }

            tried.Add(candidate);
        }

        throw new DllNotFoundException(
            $"ONNX Runtime native library not found. Tried: {string.Join(", ", tried)}. {FixHint}");
    }

    internal static IEnumerable<string> Candidates(Func<string, string?> environment)
    {
        if (environment(PathVariable) is { Length: > 0 } configured)
        {
            if (Directory.Exists(configured))
            {
                foreach (var name in LibraryFileNames)
                {
                    yield return Path.Combine(configured, name);
                }
            }
            else
            {
                yield return configured;
            }

            yield break;
        }

        if (RepositoryLocations.NativeDirectory(environment) is { } native)
        {
            foreach (var name in LibraryFileNames)
            {
                yield return Path.Combine(native, "onnxruntime", name);
            }
        }

        foreach (var name in LibraryFileNames)
        {
            yield return Path.Combine(AppContext.BaseDirectory, name);
        }
    }
}
