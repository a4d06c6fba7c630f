using MossGrains.Engine.Embedding;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Session;

public class SessionIndexTests
{
    private static async Task<SessionIndex> AnimalsIndex(SessionIndexOptions? options = null)
    {
        var index = new SessionIndex("animals", new HashedBagOfWordsEmbedder(), options);
        var (added, updated) = await index.AddDocsAsync(TestCorpus.Animals);
        Assert.Equal((6, 0), (added, updated));
        return index;
    }

    [Fact]
    public async Task Reports_name_model_dimensions_and_count()
    {
        var index = await AnimalsIndex();
        Assert.Equal("animals", index.Name);
        Assert.Equal("test-hashed-bow-64", index.ModelId);
        Assert.Equal(64, index.Dimensions);
        Assert.Equal(6, index.DocCount);
        Assert.False(index.AcceptsCallerEmbeddings);
    }

    [Fact]
    public async Task Semantic_query_ranks_by_cosine_similarity()
    {
        var index = await AnimalsIndex();
        var result = await index.QueryAsync("eagle flies over mountains", new QueryOptions { Alpha = 1, TopK = 3 });
        Assert.Equal("eagle", result.Docs[0].Id);
        Assert.Equal(3, result.Docs.Count);
        Assert.Equal("eagle flies over mountains", result.Query);
        Assert.Equal("animals", result.IndexName);
        Assert.True(result.TimeTakenMs >= 0);
        Assert.InRange(result.Docs[0].Score, 0.5f, 1.0001f);
        Assert.True(result.Docs[0].Score >= result.Docs[1].Score && result.Docs[1].Score >= result.Docs[2].Score);
        Assert.Equal("Zurich", result.Docs[0].Metadata!["city"]);
    }

    [Fact]
    public async Task Keyword_query_uses_stemmed_bm25()
    {
        var index = await AnimalsIndex();
        // "spinning webs" only matches the spider document after stemming (spins/spinning → spin, web/webs → web).
        var result = await index.QueryAsync("spinning webs", new QueryOptions { Alpha = 0 });
        Assert.Equal(["spider"], result.Docs.Select(d => d.Id));
        Assert.True(result.Docs[0].Score > 0);
    }

    [Fact]
    public async Task Hybrid_query_fuses_both_retrievers()
    {
        var index = await AnimalsIndex();
        var result = await index.QueryAsync("flies", new QueryOptions { Alpha = 0.5f, TopK = 6 });
        // Both the eagle ("flies high") and the spider ("catch flies") contain the word; they lead.
        Assert.Equal(["eagle", "spider"], result.Docs.Take(2).Select(d => d.Id).Order());
        Assert.All(result.Docs, d => Assert.InRange(d.Score, 0f, 1f));
    }

    [Fact]
    public async Task Default_alpha_comes_from_options_then_the_model()
    {
        Assert.Equal(0.8f, (await AnimalsIndex(new SessionIndexOptions { DefaultAlpha = 0.8f })).DefaultAlpha);
        Assert.Equal(HashedBagOfWordsEmbedder.MeasuredAlpha, (await AnimalsIndex()).DefaultAlpha);
        Assert.Equal(SessionIndex.CustomModeDefaultAlpha, new SessionIndex("c", embedder: null).DefaultAlpha);
    }

    [Fact]
    public async Task A_model_that_requires_caller_vectors_runs_in_custom_mode()
    {
        var index = new SessionIndex("c", new CallerVectorsOnlyModel());
        Assert.True(index.AcceptsCallerEmbeddings);
        Assert.Equal("custom", index.ModelId);
        await index.AddDocsAsync([new DocumentInfo("a", "text", Embedding: [1, 0])]);
        Assert.Equal("a", (await index.QueryAsync("q", new QueryOptions { Alpha = 1, Embedding = [1, 1] })).Docs[0].Id);
        await Assert.ThrowsAsync<ArgumentException>(() => index.AddDocsAsync([new DocumentInfo("b", "no vector")]));
    }

    private sealed class CallerVectorsOnlyModel : TextEmbedderBase
    {
        public override EmbedderInfo Info { get; } = new("custom", 0, 0, 1, false) { RequiresCallerVectors = true };

        public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("This model embeds nothing; the caller supplies vectors.");
    }

    [Fact]
    public async Task Upsert_replaces_and_reports_updated()
    {
        var index = await AnimalsIndex();
        var (added, updated) = await index.AddDocsAsync(
        [
            new DocumentInfo("cat", "The cat now hunts mice in the barn"),
            new DocumentInfo("owl", "An owl hunts mice at night"),
        ]);
        Assert.Equal((1, 1), (added, updated));
        Assert.Equal(7, index.DocCount);
        var cat = (await index.GetDocsAsync(new GetDocumentsOptions { DocIds = ["cat"] })).Single();
        Assert.Equal("The cat now hunts mice in the barn", cat.Text);
        Assert.Null(cat.Metadata);

        var result = await index.QueryAsync("sofa", new QueryOptions { Alpha = 0 });
        Assert.Empty(result.Docs);
    }

    [Fact]
    public async Task Get_docs_returns_all_in_insertion_order_or_the_requested_ids()
    {
        var index = await AnimalsIndex();
        var all = await index.GetDocsAsync();
        Assert.Equal(TestCorpus.Animals.Select(d => d.Id), all.Select(d => d.Id));
        Assert.Equal(TestCorpus.Animals[0].Metadata, all[0].Metadata);
        Assert.Null(all[0].Embedding);

        var some = await index.GetDocsAsync(new GetDocumentsOptions { DocIds = ["spider", "nope", "cat"], IncludeEmbeddings = true });
        Assert.Equal(["spider", "cat"], some.Select(d => d.Id));
        Assert.Equal(64, some[0].Embedding!.Length);
    }

    [Fact]
    public async Task Stored_metadata_is_a_copy()
    {
        var metadata = new Dictionary<string, string> { ["k"] = "v" };
        var index = new SessionIndex("copy", new HashedBagOfWordsEmbedder());
        await index.AddDocsAsync([new DocumentInfo("a", "text", metadata)]);
        metadata["k"] = "changed";
        Assert.Equal("v", (await index.GetDocsAsync())[0].Metadata!["k"]);
    }

    [Fact]
    public async Task Delete_removes_documents_and_counts_only_existing_ones()
    {
        var index = await AnimalsIndex();
        Assert.Equal(2, await index.DeleteDocsAsync(["cat", "dog", "unicorn"]));
        Assert.Equal(4, index.DocCount);
        Assert.Equal(0, await index.DeleteDocsAsync(["cat"]));
        var result = await index.QueryAsync("cat dog sofa park", new QueryOptions { Alpha = 0.5f, TopK = 10 });
        Assert.DoesNotContain(result.Docs, d => d.Id is "cat" or "dog");
        var keyword = await index.QueryAsync("sofa", new QueryOptions { Alpha = 0 });
        Assert.Empty(keyword.Docs);
    }

    [Fact]
    public async Task Filters_restrict_every_retriever()
    {
        var index = await AnimalsIndex();
        var filter = Filter.Field("kind").Eq("pet") & Filter.Field("legs").Lt(4);
        foreach (float alpha in new[] { 0f, 0.5f, 1f })
        {
            var result = await index.QueryAsync("eagle flies over snowy mountains words", new QueryOptions { Alpha = alpha, TopK = 5, Filter = filter });
            Assert.Equal(["parrot"], result.Docs.Select(d => d.Id));
        }

        var near = await index.QueryAsync("animal", new QueryOptions { Alpha = 1, TopK = 5, Filter = Filter.Parse("""{"field":"loc","condition":{"$near":"48.8566,2.3522,2000"}}""") });
        Assert.Equal(["cat", "parrot"], near.Docs.Select(d => d.Id).Order());
    }

    [Theory]
    [InlineData("""{"field":"year","condition":{"$eq":2021}}""", "a,b")]
    [InlineData("""{"field":"year","condition":{"$eq":"2021"}}""", "a,b")]
    [InlineData("""{"field":"tag","condition":{"$in":["x","z"]}}""", "a,c")]
    [InlineData("""{"$and":[{"field":"tag","condition":{"$eq":"x"}},{"field":"year","condition":{"$gte":2021}}]}""", "a")]
    [InlineData("""{"$or":[{"field":"tag","condition":{"$eq":"z"}},{"field":"year","condition":{"$lt":2021}}]}""", "c,d")]
    [InlineData("""{"$or":[{"field":"tag","condition":{"$eq":"z"}},{"field":"year","condition":{"$eq":2021}}]}""", "a,b,c")]
    [InlineData("""{"field":"tag","condition":{"$ne":"x"}}""", "b,c,d")]
    public async Task Indexed_and_scanned_filters_agree_with_the_documented_semantics(string json, string expected)
    {
        var index = new SessionIndex("filters", new HashedBagOfWordsEmbedder());
        await index.AddDocsAsync(
        [
            new DocumentInfo("a", "alpha text", new Dictionary<string, string> { ["year"] = "2021.0", ["tag"] = "x" }),
            new DocumentInfo("b", "beta text", new Dictionary<string, string> { ["year"] = "2021", ["tag"] = "y" }),
            new DocumentInfo("c", "gamma text", new Dictionary<string, string> { ["year"] = "2022", ["tag"] = "z" }),
            new DocumentInfo("d", "delta text", new Dictionary<string, string> { ["year"] = "2020" }),
            new DocumentInfo("e", "gone text", new Dictionary<string, string> { ["year"] = "2021", ["tag"] = "x" }),
        ]);
        await index.DeleteDocsAsync(["e"]);
        var result = await index.QueryAsync("text", new QueryOptions { Alpha = 0.5f, TopK = 10, Filter = Filter.Parse(json) });
        Assert.Equal(expected, string.Join(',', result.Docs.Select(d => d.Id).Order()));
    }

    [Fact]
    public async Task Custom_mode_takes_caller_vectors_and_fixes_the_dimension_from_the_first_document()
    {
        var index = new SessionIndex("custom", embedder: null);
        Assert.Equal(SessionIndex.CustomModelId, index.ModelId);
        Assert.True(index.AcceptsCallerEmbeddings);
        Assert.Equal(0, index.Dimensions);
        await index.AddDocsAsync(
        [
            new DocumentInfo("x", "points along x", Embedding: [1, 0, 0]),
            new DocumentInfo("y", "points along y", Embedding: [0, 2, 0]),
        ]);
        Assert.Equal(3, index.Dimensions);

        var result = await index.QueryAsync("anything", new QueryOptions { Alpha = 1, Embedding = [0.1f, 0.9f, 0], TopK = 2 });
        Assert.Equal(["y", "x"], result.Docs.Select(d => d.Id));
        Assert.Equal(0.9f / MathF.Sqrt(0.82f), result.Docs[0].Score, 5);

        var keyword = await index.QueryAsync("along x", new QueryOptions { Alpha = 0 });
        Assert.Equal("x", keyword.Docs[0].Id);
    }

    [Fact]
    public async Task Model_index_accepts_caller_vectors_only_when_allowed()
    {
        var index = new SessionIndex("mixed", new HashedBagOfWordsEmbedder(), new SessionIndexOptions { AllowCallerEmbeddings = true });
        Assert.True(index.AcceptsCallerEmbeddings);
        var vector = new float[64];
        vector[5] = 1;
        await index.AddDocsAsync([new DocumentInfo("v", "precomputed", Embedding: vector), new DocumentInfo("w", "embedded by the model")]);
        var result = await index.QueryAsync("q", new QueryOptions { Alpha = 1, Embedding = vector, TopK = 1 });
        Assert.Equal("v", result.Docs[0].Id);
        Assert.Equal(1f, result.Docs[0].Score, 5);
    }

    [Fact]
    public async Task Empty_index_answers_with_no_documents()
    {
        var index = new SessionIndex("empty", new HashedBagOfWordsEmbedder());
        foreach (float alpha in new[] { 0f, 0.5f, 1f })
        {
            Assert.Empty((await index.QueryAsync("anything", new QueryOptions { Alpha = alpha })).Docs);
        }
    }
}
