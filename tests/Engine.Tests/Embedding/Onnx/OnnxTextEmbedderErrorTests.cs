using System.Text.Json.Nodes;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
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
        var directory = OnnxTestAssets.GeneratedModel("tiny-bert-int32-ids");

        var error = Assert.Throws<NotSupportedException>(() => OnnxTextEmbedder.Open(directory));

        Assert.Contains(Path.Combine(directory, "onnx", "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("input_ids: Int32", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedOutputSignature_NamesModelOutputsAndFix()
    {
        var directory = OnnxTestAssets.GeneratedModel("tiny-bert-int64-out");

        var error = Assert.Throws<NotSupportedException>(() => OnnxTextEmbedder.Open(directory));

        Assert.Contains(Path.Combine(directory, "onnx", "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains("unsupported output signature", error.Message, StringComparison.Ordinal);
        Assert.Contains("token_classes: Int64[-1,-1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
        Assert.Contains("last_hidden_state float [batch, sequence, hidden]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(48)]
    public void ConfigHiddenSizeDisagreeingWithTheModel_IsRefusedAtRun_NamingModelConfigAndRealSize(int wrongHiddenSize)
    {
        // This model declares its output [batch, sequence, hidden_size] with the hidden size left open,
        // so the embedder's dimension comes from config.json; here config.json lies (the model returns 32).
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.GeneratedModel("tiny-bert-dynamic-hidden"));
        var configPath = Path.Combine(folder.Path, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["hidden_size"] = wrongHiddenSize;
        File.WriteAllText(configPath, config.ToJsonString());
        using var embedder = OnnxTextEmbedder.Open(folder.Path);
        var destination = new float[2 * wrongHiddenSize];

        var error = Assert.Throws<InvalidDataException>(() => embedder.Embed(["where is my refund", "hi"], destination, EmbeddingPurpose.Document));

        Assert.Equal(wrongHiddenSize, embedder.Info.Dimensions);
        Assert.Contains(Path.Combine(folder.Path, "onnx", "model.onnx"), error.Message, StringComparison.Ordinal);
        Assert.Contains($"hidden_size in '{configPath}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(",32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: set it to 32", error.Message, StringComparison.Ordinal);
        Assert.All(destination, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void UnsupportedPoolingMode_NamesConfigFileAndFix()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        var pooling = Path.Combine(folder.Path, "1_Pooling", "config.json");
        File.WriteAllText(pooling, """{"word_embedding_dimension": 32, "pooling_mode_max_tokens": true}""");

        var error = Assert.Throws<NotSupportedException>(() => OnnxTextEmbedder.Open(folder.Path));

        Assert.Contains($"'{pooling}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedModule_NamesModulesJsonAndFix()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        var modulesPath = Path.Combine(folder.Path, "modules.json");
        var modules = JsonNode.Parse(File.ReadAllText(modulesPath))!.AsArray();
        modules.Add(new JsonObject { ["idx"] = 3, ["name"] = "3", ["path"] = "3_Dense", ["type"] = "sentence_transformers.models.Dense" });
        File.WriteAllText(modulesPath, modules.ToJsonString());

        var error = Assert.Throws<NotSupportedException>(() => OnnxTextEmbedder.Open(folder.Path));

        Assert.Contains($"'{modulesPath}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sentence_transformers.models.Dense", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A JSON file of the folder whose value has the wrong kind; the message must name that file, not just the folder.</summary>
    public static TheoryData<string, string, string> WrongValues => new()
    {
        { "config.json", "hidden_size", "\"thirty-two\"" },
        { "config.json", "hidden_size", "0" },
        { "sentence_bert_config.json", "max_seq_length", "256.5" },
        { Path.Combine("1_Pooling", "config.json"), "word_embedding_dimension", "[32]" },
        { "config_sentence_transformers.json", "prompts", "{\"query\": 5}" },
        { "modules.json", null!, "{\"not\": \"a list\"}" },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public void ValueOfTheWrongKind_NamesTheExactFileAndFix(string file, string? property, string value)
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        var path = Path.Combine(folder.Path, file);
        var json = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))! : new JsonObject();
        if (property is null)
        {
            json = JsonNode.Parse(value)!;
        }
        else
        {
            json[property] = JsonNode.Parse(value);
        }

        File.WriteAllText(path, json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => OnnxTextEmbedder.Open(folder.Path));

        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptions_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(
            () => OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory, new OnnxEmbedderOptions { MaxBatchSize = 0 }));

        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }
}
