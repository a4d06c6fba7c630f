using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Tests.Onnx;
using MossGrains.Engine.Persistence;
using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Embedding.Onnx;

/// <summary>The ONNX embedder behind a session index, resolved by model id as a session names it.</summary>
public sealed class OnnxSessionIndexTests
{
    private const string ModelId = "onnx:tiny-bert";

    private static readonly DocumentInfo[] Docs =
    [
        new("refund", "Refunds are paid back to the original card within five working days."),
        new("shipping", "Parcels ship from our Rotterdam warehouse every weekday at noon."),
        new("password", "To reset your password, open settings and choose forgotten password."),
        new("opening", "The shop opens at nine in the morning and closes at six."),
        new("warranty", "Every blender carries a two year warranty against manufacturing defects."),
    ];

    private static readonly string[] Queries = ["when do I get my refund back on my card", "reset a forgotten password", "shop opening hours", "warranty"];

    [Fact]
    public async Task SessionIndex_OverCatalogOnnxModel_AnswersSemanticQueries_AndRoundTripsWithoutReEmbedding()
    {
        // onnx:tiny-bert is found under <native>/models by name (eng/test-setup.d/31-onnx-test-assets.sh makes it).
        var model = new EmbedderCatalog(new EmbedderOptions { Onnx = new OnnxEmbedderOptions { ModelsDirectory = OnnxTestAssets.ModelsDirectory } }).Resolve(ModelId)!;
        var original = new SessionIndex("support", new CountingEmbedder(model));
        await original.AddDocsAsync(Docs);

        Assert.Equal(ModelId, original.ModelId);
        Assert.Equal(32, original.Dimensions);
        var best = await original.QueryAsync(Queries[0], new QueryOptions { Alpha = 1, TopK = 3 });
        Assert.Equal("refund", best.Docs[0].Id);
        Assert.True(best.Docs[0].Score > best.Docs[1].Score);

        using var saved = new MemoryStream();
        await original.SaveAsync(saved);
        var counting = new CountingEmbedder(model);
        var loaded = new SessionIndex("support", counting);
        await loaded.LoadAsync(new MemoryStream(saved.ToArray()));

        Assert.Equal(0, counting.Calls);
        Assert.Equal(ModelId, loaded.ModelId);
        Assert.Equal(Docs.Length, loaded.DocCount);
        foreach (var query in Queries)
        {
            foreach (float alpha in new[] { 1f, 0.5f })
            {
                var options = new QueryOptions { Alpha = alpha, TopK = Docs.Length };
                var expected = (await original.QueryAsync(query, options)).Docs;
                var actual = (await loaded.QueryAsync(query, options)).Docs;
                Assert.Equal(expected.Select(d => (d.Id, d.Score)), actual.Select(d => (d.Id, d.Score)));
            }
        }
    }

    [Fact]
    public async Task LoadAsync_RefusesAnIndexMadeWithAnotherModel()
    {
        var onnx = new EmbedderCatalog(new EmbedderOptions { Onnx = new OnnxEmbedderOptions { ModelsDirectory = OnnxTestAssets.ModelsDirectory } }).Resolve(ModelId)!;
        var index = new SessionIndex("support", onnx);
        await index.AddDocsAsync(Docs);
        using var saved = new MemoryStream();
        await index.SaveAsync(saved);

        var other = new SessionIndex("support", new HashedBagOfWordsEmbedder());

        var error = await Assert.ThrowsAsync<IndexFormatException>(() => other.LoadAsync(new MemoryStream(saved.ToArray())));
        Assert.Contains(ModelId, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Passes every call to the real model and counts them, so a test can prove a load never embeds.</summary>
    private sealed class CountingEmbedder(ITextEmbedder inner) : TextEmbedderBase
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override EmbedderInfo Info => inner.Info;

        public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            inner.Embed(texts, destination, purpose, cancellationToken);
        }
    }
}
