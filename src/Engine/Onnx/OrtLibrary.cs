using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MossGrains.Engine.Onnx;

/// <summary>
/// A loaded ONNX Runtime native library: its C API table (version-checked), one shared
/// environment and CPU memory description. <see cref="Default"/> finds the library the way
/// <see cref="OrtLibraryLocator"/> documents; <see cref="Load(string)"/> takes an explicit file.
/// Loaded libraries live for the rest of the process (ONNX Runtime cannot be unloaded safely).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Process-lifetime object: sessions may outlive any owner, and ONNX Runtime cannot be unloaded.")]
public sealed unsafe class OrtLibrary
{
    private static readonly ConcurrentDictionary<(string Path, uint Version), OrtLibrary> Loaded = new();
    private static readonly Lock DefaultLock = new();
    private static OrtLibrary? s_default;

    private readonly OrtSafeHandle _environment;
    private readonly OrtSafeHandle _cpuMemoryInfo;

    private OrtLibrary(string path, uint apiVersion, string version, OrtApi api)
    {
        LibraryPath = path;
        ApiVersion = apiVersion;
        Version = version;
        Api = api;
        IntPtr env;
        IntPtr memoryInfo;
        var logId = "MossGrains"u8;
        fixed (byte* logIdPtr = logId)
        {
            // Severity 3 = ORT_LOGGING_LEVEL_ERROR: warnings about graph rewrites are not for users.
            api.Check(api.CreateEnv(3, logIdPtr, &env));
        }

        _environment = new OrtSafeHandle(env, api.ReleaseEnv);
        // OrtDeviceAllocator (0), OrtMemTypeDefault (0): describes caller-owned CPU buffers.
        api.Check(api.CreateCpuMemoryInfo(0, 0, &memoryInfo));
        _cpuMemoryInfo = new OrtSafeHandle(memoryInfo, api.ReleaseMemoryInfo);
    }

    /// <summary>The library file that was loaded.</summary>
    public string LibraryPath { get; }

    /// <summary>ONNX Runtime's own version string, e.g. <c>1.30.0</c>.</summary>
    public string Version { get; }

    /// <summary>The C API version requested from the library (<c>OrtApiBase::GetApi</c>).</summary>
    public uint ApiVersion { get; }

    internal OrtApi Api { get; }

    internal IntPtr Environment => _environment.DangerousGetHandle();

    internal IntPtr CpuMemoryInfo => _cpuMemoryInfo.DangerousGetHandle();

    /// <summary>
    /// The library found by <see cref="OrtLibraryLocator"/> (env <c>MOSS_ONNXRUNTIME_PATH</c>, then
    /// <c>.native/onnxruntime/</c>, then the application folder). Throws <see cref="DllNotFoundException"/>
    /// naming every path tried and the fix when there is none; a later call tries again.
    /// </summary>
    public static OrtLibrary Default
    {
        get
        {
            lock (DefaultLock)
            {
                return s_default ??= Load(OrtLibraryLocator.Locate());
            }
        }
    }

    /// <summary>Loads the ONNX Runtime library at <paramref name="path"/> (a file).</summary>
    public static OrtLibrary Load(string path) => Load(path, OrtApi.PinnedVersion);

    internal static OrtLibrary Load(string path, uint apiVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        return Loaded.GetOrAdd((fullPath, apiVersion), static key => Open(key.Path, key.Version));
    }

    private static OrtLibrary Open(string path, uint apiVersion)
    {
        if (!File.Exists(path))
        {
            throw new DllNotFoundException(
                $"ONNX Runtime library '{path}' does not exist. {OrtLibraryLocator.FixHint}");
        }

        IntPtr library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new DllNotFoundException(
                $"ONNX Runtime library '{path}' could not be loaded ({e.Message}). {OrtLibraryLocator.FixHint}", e);
        }

        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
        {
            throw new EntryPointNotFoundException(
                $"'{path}' is not an ONNX Runtime library: it does not export OrtGetApiBase. {OrtLibraryLocator.FixHint}");
        }

        // OrtApiBase is { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }.
        var apiBase = ((delegate* unmanaged<IntPtr>)getApiBase)();
        var functions = (IntPtr*)apiBase;
        var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)functions[1])()) ?? "unknown";
        var table = ((delegate* unmanaged<uint, IntPtr>)functions[0])(apiVersion);
        if (table == IntPtr.Zero)
        {
            throw new NotSupportedException(
                $"ONNX Runtime {version} at '{path}' does not provide C API version {apiVersion}, which MossGrains needs. " +
                $"Use ONNX Runtime 1.0 or later whose API range includes {apiVersion} (setup installs 1.30.0), " +
                $"or point {OrtLibraryLocator.PathVariable} at such a build.");
        }

        return new OrtLibrary(path, apiVersion, version, new OrtApi(table));
    }
}
