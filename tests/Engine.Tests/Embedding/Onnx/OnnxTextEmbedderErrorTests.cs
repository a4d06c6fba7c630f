using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Onnx;
using MossGrains.Engine.Tests.Onnx;

namespace MossGrains.Engine.Tests.Embedding.Onnx;

/// <summary>Every way a model can be unusable yields a message naming the path at fault and the fix.</summary>
public sealed class OnnxTextEmbedderErrorTests
{
    [Fact]
    public void MissingFolder_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-model-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<DirectoryNotFoundException>(() => OnnxTextEmbedder.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingModelFile_NamesBothLocationsTried()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        File.Delete(Path.Combine(folder.Path, "onnx", "model.onnx"));

        var error = Assert.Throws<FileNotFoundException>(() => OnnxTextEmbedder.Open(folder.Path));

        Assert.Contains(Path.Combine(folder.Path, "onnx", "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder.Path, "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("docs/onnx.md", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTokenizer_NamesFolder()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        File.Delete(Path.Combine(folder.Path, "tokenizer.json"));
        File.Delete(Path.Combine(folder.Path, "vocab.txt"));

        var error = Assert.Throws<FileNotFoundException>(() => OnnxTextEmbedder.Open(folder.Path));

        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptModelFile_IsRefusedNamingIt()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        var model = Path.Combine(folder.Path, "onnx", "model.onnx");
        var bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => OnnxTextEmbedder.Open(folder.Path));

        Assert.Contains(model, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptModulesJson_IsRefusedNamingIt()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        var modules = Path.Combine(folder.Path, "modules.json");
        File.WriteAllText(modules, "[{\"idx\": 0, \"type\": ");

        var error = Assert.Throws<InvalidDataException>(() => OnnxTextEmbedder.Open(folder.Path));

        Assert.Contains(modules, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedInputSignature_NamesModelAndInputs()
    {
        var directory = OnnxTestAssets.Require(Path.Combine(OnnxTestAssets.NativeDirectory, "models", "tiny-bert-int32-ids"));

        var error = Assert.Throws<NotSupportedException>(() => OnnxTextEmbedder.Open(directory));

        Assert.Contains(Path.Combine(directory, "onnx", "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("input_ids: Int32", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedPoolingMode_NamesConfigFile()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        var pooling = Path.Combine(folder.Path, "1_Pooling", "config.json");
        File.WriteAllText(pooling, """{"word_embedding_dimension": 32, "pooling_mode_max_tokens": true}""");

        var error = Assert.Throws<NotSupportedException>(() => OnnxTextEmbedder.Open(folder.Path));

        Assert.Contains(pooling, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingNativeLibrary_NamesPathAndFix()
    {
        var library = Path.Combine(Path.GetTempPath(), "no-ort-" + Guid.NewGuid().ToString("N"), "libonnxruntime.so.1");

        var error = Assert.Throws<DllNotFoundException>(
            () => OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory, new OnnxEmbedderOptions { LibraryPath = library }));

        Assert.Contains(library, error.Message, StringComparison.Ordinal);
        Assert.Contains(OrtLibraryLocator.PathVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptions_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(
            () => OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory, new OnnxEmbedderOptions { MaxBatchSize = 0 }));

        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }
}
