using System.Numerics.Tensors;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Engine.Tests.Embedding;

public class StaticVectorEmbedderTests
{
    [Fact]
    public void Sif_weights_fall_with_frequency()
    {
        var weights = SifWeighting.RankWeights(341_479, SifWeighting.DefaultSmoothing);
        Assert.True(weights[0] < 0.01f, $"'the' (rank 1) weighs {weights[0]}");
        Assert.True(weights[0] < weights[99] && weights[99] < weights[9_999] && weights[9_999] < weights[300_000]);
        Assert.True(weights[300_000] > 0.99f);
        Assert.Equal(1.0, SifWeighting.ZipfProbabilities(1000).Sum(), 6);
    }

    [Fact]
    public void Frequent_words_move_the_sentence_vector_less()
    {
        using var embedder = StaticWordEmbedder.Create(TinyStaticModels.Create());
        var cat = embedder.EmbedOne("cat");
        float withThe = TensorPrimitives.CosineSimilarity(cat, embedder.EmbedOne("the cat"));
        float withVirus = TensorPrimitives.CosineSimilarity(cat, embedder.EmbedOne("virus cat"));
        Assert.True(embedder.GetWeight(0) < embedder.GetWeight(14));
        Assert.True(withThe > withVirus, $"adding 'the' kept cosine {withThe}, adding rare 'virus' kept {withVirus}");
    }

    [Fact]
    public void Outputs_are_unit_length_and_orthogonal_to_the_common_component()
    {
        var raw = TinyStaticModels.Create();
        var component = SifWeighting.CommonComponent(raw, 1e-2f, 20);
        Assert.Equal(1f, TensorPrimitives.Norm(component), 4);
        var model = TinyStaticModels.Create(pooling: new StaticPooling(1e-2f, 20, component, true));
        using var embedder = StaticWordEmbedder.Create(model);
        foreach (var text in new[] { "cat", "the kitten and the dog", "state-of-the-art car engine" })
        {
            var vector = embedder.EmbedOne(text);
            Assert.Equal(1f, TensorPrimitives.Norm(vector), 4);
            Assert.Equal(0f, TensorPrimitives.Dot(vector, component), 4);
        }
    }

    [Fact]
    public void Embedding_is_deterministic_and_batch_independent()
    {
        using var embedder = StaticWordEmbedder.Create(TinyStaticModels.Create());
        string[] texts = ["the cat", "a puppy and a dog", "car engine", "kitten"];
        var batch = new float[texts.Length * embedder.Info.Dimensions];
        embedder.Embed(texts, batch, EmbeddingPurpose.Document);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(embedder.EmbedOne(texts[i]), batch.AsSpan(i * embedder.Info.Dimensions, embedder.Info.Dimensions).ToArray());
        }
    }

    [Fact]
    public void Concurrent_callers_get_the_same_vectors()
    {
        using var embedder = StaticWordEmbedder.Create(TinyStaticModels.Create());
        var expected = embedder.EmbedOne("the kitten and the puppy");
        var results = new float[64][];
        Parallel.For(0, results.Length, i => results[i] = embedder.EmbedOne("the kitten and the puppy"));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Related_words_score_higher_than_unrelated()
    {
        using var embedder = StaticWordEmbedder.Create(TinyStaticModels.Create());
        var cat = embedder.EmbedOne("the cat");
        Assert.True(TensorPrimitives.Dot(cat, embedder.EmbedOne("a kitten")) > TensorPrimitives.Dot(cat, embedder.EmbedOne("a car")));
    }

    [Fact]
    public void Text_without_known_words_embeds_to_zero()
    {
        using var embedder = StaticWordEmbedder.Create(TinyStaticModels.Create());
        Assert.All(embedder.EmbedOne("1234 zyzzyva ???"), v => Assert.Equal(0f, v));
        Assert.All(embedder.EmbedOne(string.Empty), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Too_small_destination_is_rejected()
    {
        using var embedder = StaticWordEmbedder.Create(TinyStaticModels.Create());
        var error = Assert.Throws<ArgumentException>(() => embedder.Embed(["cat", "dog"], new float[embedder.Info.Dimensions], EmbeddingPurpose.Document));
        Assert.Equal("destination", error.ParamName);
    }

    [Fact]
    public async Task Works_as_an_IEmbeddingGenerator()
    {
        using var embedder = StaticWordEmbedder.Create(TinyStaticModels.Create());
        var generated = await embedder.GenerateAsync(["cat", "dog"]);
        Assert.Equal(2, generated.Count);
        Assert.Equal(embedder.EmbedOne("dog"), generated[1].Vector.ToArray());
        Assert.Equal("tiny-test@1", generated[0].ModelId);
    }
}
