using System.Numerics.Tensors;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Engine.Tests.Embedding;

/// <summary>The real converted default model (eng/setup.sh converts it before tests run).</summary>
public class WinkDefaultModelTests
{
    private static readonly Lazy<ITextEmbedder> Model = new(() => EmbedderCatalog.Default.Resolve(EmbedderCatalog.DefaultAlias)!);

    [Fact]
    public void Loads_with_the_documented_id_and_shape()
    {
        var info = Model.Value.Info;
        Assert.Equal("moss-glove-100d-sif@1", info.ModelId);
        Assert.Equal(100, info.Dimensions);
        Assert.True(info.Normalized);
        Assert.Equal(StaticWordEmbedder.DefaultAlpha, info.DefaultAlpha);
    }

    [Theory]
    [InlineData("The cat rested on the carpet.", "The kitten slept on the rug.", "The quarterly tax report is due next week.")]
    [InlineData("Vitamin D deficiency increases fracture risk", "low calcium intake weakens bones", "the football team won the championship")]
    [InlineData("How do I reset my password?", "I forgot my login credentials", "the volcano erupted last night")]
    public void Related_sentences_score_higher_than_unrelated(string anchor, string related, string unrelated)
    {
        var a = Model.Value.EmbedOne(anchor);
        float near = TensorPrimitives.Dot(a, Model.Value.EmbedOne(related));
        float far = TensorPrimitives.Dot(a, Model.Value.EmbedOne(unrelated));
        Assert.True(near > far + 0.1f, $"related {near:F3} vs unrelated {far:F3}");
    }

    [Fact]
    public void Vectors_are_unit_length_and_common_words_weigh_least()
    {
        Assert.Equal(1f, TensorPrimitives.Norm(Model.Value.EmbedOne("protein folding in the endoplasmic reticulum")), 4);
        var embedder = (StaticVectorEmbedder)Model.Value;
        Assert.True(embedder.GetWeight(0) < 0.01f, "'the' is rank 1");
        Assert.True(embedder.GetWeight(100_000) > 0.95f);
    }
}
