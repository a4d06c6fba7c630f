using System.Runtime.InteropServices;
using MossGrains.Engine.Onnx;

namespace MossGrains.Engine.Tests.Onnx;

public sealed class OrtLibraryTests
{
    [Fact]
    public void Default_LoadsOnnxRuntime130FromNativeFolder()
    {
        var library = OrtLibrary.Default;

        Assert.Equal("1.30.0", library.Version);
        Assert.Equal(1u, library.ApiVersion);
        Assert.True(File.Exists(library.LibraryPath));
    }

    [Fact]
    public void Load_UnsupportedApiVersion_NamesVersionAndPath()
    {
        var path = OrtLibrary.Default.LibraryPath;

        var error = Assert.Throws<NotSupportedException>(() => OrtLibrary.Load(path, apiVersion: 100_000));

        Assert.Contains("C API version 100000", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("1.30.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesPathAndFix()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "libonnxruntime.so.1");

        var error = Assert.Throws<DllNotFoundException>(() => OrtLibrary.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(OrtLibraryLocator.PathVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains("eng/setup.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileThatIsNotALibrary_IsRefusedWithPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fake-ort-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "not a shared library");
        try
        {
            var error = Assert.Throws<DllNotFoundException>(() => OrtLibrary.Load(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_LibraryWithoutOrtEntryPoint_SaysItIsNotOnnxRuntime()
    {
        var other = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");

        var error = Assert.Throws<EntryPointNotFoundException>(() => OrtLibrary.Load(other));

        Assert.Contains("OrtGetApiBase", error.Message, StringComparison.Ordinal);
        Assert.Contains(other, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_EnvironmentVariableFolder_FindsLibraryInIt()
    {
        var folder = Path.GetDirectoryName(OrtLibrary.Default.LibraryPath)!;

        var found = OrtLibraryLocator.Locate(name => name == OrtLibraryLocator.PathVariable ? folder : null);

        Assert.Equal(Path.Combine(folder, "libonnxruntime.so.1"), found);
    }

    [Fact]
    public void Locate_EnvironmentVariablePointsNowhere_ReportsItAndDoesNotFallBack()
    {
        var missing = Path.Combine(Path.GetTempPath(), "missing-ort-" + Guid.NewGuid().ToString("N"), "libonnxruntime.so.1");

        var error = Assert.Throws<DllNotFoundException>(
            () => OrtLibraryLocator.Locate(name => name == OrtLibraryLocator.PathVariable ? missing : null));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".native", error.Message.Split("Fix:")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_NothingInstalled_ListsEveryPathTriedAndTheFix()
    {
        var emptyNative = Path.Combine(Path.GetTempPath(), "empty-native-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<DllNotFoundException>(
            () => OrtLibraryLocator.Locate(name => name == "MOSS_NATIVE_DIR" ? emptyNative : null));

        Assert.Contains(Path.Combine(emptyNative, "onnxruntime", "libonnxruntime.so.1"), error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1"), error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }
}
