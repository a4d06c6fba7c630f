using System.Numerics.Tensors;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Tests.Onnx;

namespace MossGrains.Engine.Tests.Embedding.Onnx;

public sealed class OnnxTextEmbedderTests
{
    private static readonly string[] Texts =
    [
        "where is my refund",
        "The patient's blood pressure dropped sharply after the second dose.",
        "Café crème, s'il vous plaît!",
        "short",
        string.Join(' ', Enumerable.Repeat("a long chunk of text about shipping policies", 60)),
    ];

    [Fact]
    public void Info_ComesFromTheModelFolder()
    {
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        Assert.Equal("onnx:tiny-bert", embedder.Info.ModelId);
        Assert.Equal(32, embedder.Info.Dimensions);
        Assert.Equal(256, embedder.Info.MaxSequenceLength);
        Assert.Equal(32, embedder.Info.MaxBatchSize);
        Assert.True(embedder.Info.Normalized);
        Assert.Equal(PoolingMode.Mean, embedder.Settings.Pooling);
    }

    [Fact]
    public void Open_ByModelId_FindsFolderUnderModelsDirectory()
    {
        var options = new OnnxEmbedderOptions { ModelsDirectory = Path.GetDirectoryName(OnnxTestAssets.TinyModelDirectory) };

        using var embedder = OnnxTextEmbedder.Open("onnx:tiny-bert", options);

        Assert.Equal(Path.Combine(OnnxTestAssets.TinyModelDirectory, "onnx", "model.onnx"), embedder.ModelPath);
    }

    [Fact]
    public void OutputHiddenSizeLeftOpen_IsTakenFromConfigJson()
    {
        // Same generator, seed and weights as tiny-bert; only the declared output shape leaves the hidden size open.
        var directory = OnnxTestAssets.GeneratedModel("tiny-bert-dynamic-hidden");
        using var dynamicHidden = OnnxTextEmbedder.Open(directory);
        using var fixedHidden = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        Assert.Equal(-1, dynamicHidden.Session.OutputMetadata["last_hidden_state"].Dimensions[2]);
        Assert.Equal(32, dynamicHidden.Info.Dimensions);
        Assert.Equal(OnnxTestAssets.EmbedAll(fixedHidden, Texts), OnnxTestAssets.EmbedAll(dynamicHidden, Texts));
    }

    [Fact]
    public void Options_ModelFile_SelectsAnotherExportInTheFolder()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        File.Move(Path.Combine(folder.Path, "onnx", "model.onnx"), Path.Combine(folder.Path, "onnx", "model_quint8_avx2.onnx"));

        using var embedder = OnnxTextEmbedder.Open(folder.Path, new OnnxEmbedderOptions { ModelFile = "onnx/model_quint8_avx2.onnx" });

        Assert.EndsWith("model_quint8_avx2.onnx", embedder.ModelPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownModelId_NamesFoldersSearchedAndFix()
    {
        var models = Path.Combine(Path.GetTempPath(), "models-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<DirectoryNotFoundException>(
            () => OnnxModelLocator.Resolve("onnx:all-MiniLM-L6-v2", new OnnxEmbedderOptions { ModelsDirectory = models }, _ => null));

        Assert.Contains(Path.Combine(models, "all-MiniLM-L6-v2"), error.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxEmbedderOptions.ModelsDirectoryVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ModelNameWithNoModelsFolderConfigured_SaysWhatToConfigure_AndSearchesNoCheckout()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(
            () => OnnxModelLocator.Resolve("onnx:tiny-bert", new OnnxEmbedderOptions(), _ => null));

        Assert.Contains("no folder of models is configured", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OnnxEmbedderOptions.ModelsDirectory), error.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxEmbedderOptions.ModelsDirectoryVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embed_VectorsAreUnitLength_AndBatchingDoesNotChangeThem()
    {
        using var batched = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory, new OnnxEmbedderOptions { MaxBatchSize = 2 });
        int dims = batched.Info.Dimensions;
        var together = new float[Texts.Length * dims];
        batched.Embed(Texts, together, EmbeddingPurpose.Document);

        for (int i = 0; i < Texts.Length; i++)
        {
            var alone = new float[dims];
            batched.Embed(Texts.AsSpan(i, 1), alone, EmbeddingPurpose.Document);
            var row = together.AsSpan(i * dims, dims);
            Assert.Equal(1f, TensorPrimitives.Norm(row), 4);
            Assert.True(TensorPrimitives.MaxMagnitude(Difference(alone, row)) <= 1e-5f, $"text {i} differs alone vs in a batch");
        }

        Assert.True(TensorPrimitives.CosineSimilarity(together.AsSpan(0, dims), together.AsSpan(dims, dims)) < 0.999f);
    }

    [Fact]
    public void Embed_ManyTextsOfMixedLengths_LengthSortedParallelBatches_GiveEachTextItsOwnVector()
    {
        // 75 texts of 1–40 words in shuffled order: the ingest path sorts them by token count, pads each batch of 4 to its
        // own longest text and runs batches on 2 threads; every row must still be the vector of the text at that index.
        var random = new Random(7);
        var texts = Enumerable.Range(0, 75)
            .Select(i => string.Join(' ', Enumerable.Range(0, 1 + random.Next(40)).Select(w => Texts[(i + w) % Texts.Length].Split(' ')[0] + w)))
            .ToArray();
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory, new OnnxEmbedderOptions { MaxBatchSize = 4, IngestParallelism = 2 });
        int dims = embedder.Info.Dimensions;
        var together = new float[texts.Length * dims];

        embedder.Embed(texts, together, EmbeddingPurpose.Document);

        for (int i = 0; i < texts.Length; i++)
        {
            var alone = new float[dims];
            embedder.Embed(texts.AsSpan(i, 1), alone, EmbeddingPurpose.Document);
            Assert.True(TensorPrimitives.MaxMagnitude(Difference(alone, together.AsSpan(i * dims, dims))) <= 1e-5f, $"text {i} ('{texts[i]}') got another vector in the ingest batches");
        }
    }

    [Fact]
    public void Embed_NoTexts_WritesNothing()
    {
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        embedder.Embed([], Span<float>.Empty, EmbeddingPurpose.Document);

        Assert.Equal(32, embedder.Info.Dimensions);
    }

    [Fact]
    public async Task GenerateAsync_ReturnsOneEmbeddingPerText_TaggedWithModelId()
    {
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        using var cancellation = new CancellationTokenSource();
        var embeddings = await embedder.GenerateAsync(Texts, cancellationToken: cancellation.Token);

        Assert.Equal(Texts.Length, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal("onnx:tiny-bert", e.ModelId));
        Assert.All(embeddings, e => Assert.Equal(32, e.Vector.Length));
    }

    [Fact]
    public void Embed_QueryPrompt_IsPrependedForQueriesOnly()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        File.WriteAllText(Path.Combine(folder.Path, "config_sentence_transformers.json"), """{"prompts": {"query": "query: ", "passage": "passage: "}}""");
        using var embedder = OnnxTextEmbedder.Open(folder.Path);
        using var plain = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);
        var query = new float[32];
        var expected = new float[32];

        embedder.Embed(["refund status"], query, EmbeddingPurpose.Query);
        plain.Embed(["query: refund status"], expected, EmbeddingPurpose.Document);

        Assert.True(TensorPrimitives.MaxMagnitude(Difference(expected, query)) <= 1e-6f);
    }

    [Fact]
    public void Options_MaxSequenceLength_LowersTheModelLimit()
    {
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory, new OnnxEmbedderOptions { MaxSequenceLength = 16 });
        var text = Texts[^1];
        var viaText = new float[32];
        embedder.Embed([text], viaText, EmbeddingPurpose.Document);

        var viaTokens = new float[32];
        embedder.EmbedBatch(embedder.Settings.Tokenizer.EncodeBatch([text], maxLength: 16), viaTokens);

        Assert.Equal(16, embedder.Info.MaxSequenceLength);
        Assert.Equal(viaTokens, viaText);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Options_TwoThreads_WithOrWithoutSpinning_GiveTheOneThreadVectors(bool spinning)
    {
        using var two = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory, new OnnxEmbedderOptions { IntraOpThreads = 2, AllowThreadSpinning = spinning });
        using var one = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        var difference = Difference(OnnxTestAssets.EmbedAll(two, Texts), OnnxTestAssets.EmbedAll(one, Texts));

        Assert.True(TensorPrimitives.MaxMagnitude(difference) <= 1e-6f);
    }

    [Fact]
    public void Embed_Int8Model_StaysCloseToFloatModel()
    {
        var int8Directory = OnnxTestAssets.GeneratedModel("tiny-bert-int8");
        using var int8 = OnnxTextEmbedder.Open(int8Directory);
        using var fp32 = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        var a = OnnxTestAssets.EmbedAll(int8, Texts);
        var b = OnnxTestAssets.EmbedAll(fp32, Texts);

        for (int i = 0; i < Texts.Length; i++)
        {
            float cosine = TensorPrimitives.CosineSimilarity(a.AsSpan(i * 32, 32), b.AsSpan(i * 32, 32));
            Assert.True(cosine > 0.99f, $"text {i}: cosine {cosine}");
        }
    }

    [Fact]
    public async Task Embed_FromManyThreadsAtOnce_GivesTheSameVectors()
    {
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);
        var expected = new float[Texts.Length * 32];
        embedder.Embed(Texts, expected, EmbeddingPurpose.Document);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            var vectors = new float[Texts.Length * 32];
            for (int round = 0; round < 20; round++)
            {
                embedder.Embed(Texts, vectors, EmbeddingPurpose.Document);
            }

            return vectors;
        })));

        Assert.All(results, vectors => Assert.Equal(expected, vectors));
    }

    [Fact]
    public void Embed_CancelledToken_Throws()
    {
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => embedder.Embed(Texts, new float[Texts.Length * 32], EmbeddingPurpose.Document, cancellation.Token));
    }

    [Fact]
    public void Embed_WrongDestinationSize_NamesSizes()
    {
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        var error = Assert.Throws<ArgumentException>(() => embedder.Embed(["a", "b"], new float[10], EmbeddingPurpose.Document));

        Assert.Equal("destination", error.ParamName);
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    private static float[] Difference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var difference = new float[a.Length];
        TensorPrimitives.Subtract(a, b, difference);
        return difference;
    }
}

/// <summary>A throw-away copy of a model folder that a test may damage.</summary>
internal sealed class TempModelFolder : IDisposable
{
    private TempModelFolder(string path) => Path = path;

    public string Path { get; }

    public static TempModelFolder CopyOf(string source)
    {
        var target = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "model-" + Guid.NewGuid().ToString("N"), System.IO.Path.GetFileName(source));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return new TempModelFolder(target);
    }

    public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
}
