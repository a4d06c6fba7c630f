using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.StaticVectors;
using MossGrains.Engine.Session;

namespace MossGrains.Engine.Tests.Embedding;

public class EmbedderCatalogTests
{
    [Fact]
    public void Custom_resolves_to_no_embedder_which_SessionIndex_runs_in_custom_mode()
    {
        var catalog = new EmbedderCatalog();
        var embedder = catalog.Resolve(EmbedderCatalog.CustomModelId);
        Assert.Null(embedder);
        var session = new SessionIndex("s", embedder);
        Assert.Equal(SessionIndex.CustomModelId, session.ModelId);
    }

    [Fact]
    public async Task Custom_mode_fixes_the_dimension_by_the_first_document_and_rejects_bad_vectors()
    {
        var session = new SessionIndex("s", new EmbedderCatalog().Resolve("custom"));
        await session.AddDocsAsync([new DocumentInfo("a", "first", Embedding: [1f, 0f, 0f])]);
        Assert.Equal(3, session.Dimensions);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => session.AddDocsAsync([new DocumentInfo("b", "wrong size", Embedding: [1f, 0f])]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => session.AddDocsAsync([new DocumentInfo("c", "nan", Embedding: [float.NaN, 0f, 0f])]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => session.AddDocsAsync([new DocumentInfo("d", "inf", Embedding: [float.PositiveInfinity, 0f, 0f])]));
        Assert.Equal(1, session.DocCount);
        var result = await session.QueryAsync("q", new QueryOptions { Embedding = [1f, 0f, 0f], Alpha = 1 });
        Assert.Equal("a", Assert.Single(result.Docs).Id);
    }

    [Fact]
    public void Registered_models_are_created_once_and_shared()
    {
        int created = 0;
        var catalog = new EmbedderCatalog().RegisterModel("tiny@1", _ =>
        {
            Interlocked.Increment(ref created);
            return StaticWordEmbedder.Create(TinyStaticModels.Create());
        });
        var first = catalog.Resolve("tiny@1");
        Assert.Same(first, catalog.Resolve("tiny@1"));
        Assert.Equal(1, created);
    }

    [Fact]
    public void Schemes_receive_their_argument_and_options()
    {
        var options = new EmbedderOptions { ModelDirectory = "/models" };
        (string Argument, EmbedderOptions Options)? seen = null;
        var catalog = new EmbedderCatalog(options).RegisterScheme("onnx", (argument, o) =>
        {
            seen = (argument, o);
            return StaticWordEmbedder.Create(TinyStaticModels.Create());
        });
        Assert.NotNull(catalog.Resolve("onnx:/opt/minilm"));
        Assert.Equal("/opt/minilm", seen!.Value.Argument);
        Assert.Same(options, seen.Value.Options);
    }

    [Fact]
    public void Default_alias_maps_to_the_shipped_model()
    {
        Assert.Equal(StaticWordEmbedder.ModelId, EmbedderCatalog.Canonicalize("moss-default"));
        Assert.Equal(StaticWordEmbedder.GetModelPath(new EmbedderOptions { ModelDirectory = "/m" }), Path.Combine("/m", StaticWordEmbedder.FileName));
    }

    [Fact]
    public void Unknown_ids_and_empty_scheme_arguments_are_rejected_with_the_known_ids()
    {
        var catalog = new EmbedderCatalog();
        var unknown = Assert.Throws<ArgumentException>(() => catalog.Resolve("bert-large"));
        Assert.Contains("moss-default", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("model2vec:<dir>", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => catalog.Resolve("model2vec:"));
        Assert.Throws<ArgumentException>(() => catalog.Resolve(" "));
    }

    [Fact]
    public void A_missing_model_file_fails_resolution_and_can_be_retried()
    {
        var catalog = new EmbedderCatalog(new EmbedderOptions { ModelDirectory = Path.Combine(Path.GetTempPath(), "moss-no-models-" + Guid.NewGuid()) });
        var error = Assert.Throws<FileNotFoundException>(() => catalog.Resolve("moss-default"));
        Assert.Contains("eng/setup.sh", error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => catalog.Resolve("moss-default"));
    }
}
