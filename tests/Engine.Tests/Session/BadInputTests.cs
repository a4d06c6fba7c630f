using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Session;

/// <summary>Every rejected input names its field and leaves the index exactly as it was.</summary>
public class BadInputTests
{
    private static readonly SessionIndexOptions Limits = new() { MaxIdLength = 8, MaxTextLength = 100, MaxTopK = 50, MaxAddBatchSize = 10 };

    private static async Task<SessionIndex> Index()
    {
        var index = new SessionIndex("bad-input", new HashedBagOfWordsEmbedder(), Limits);
        await index.AddDocsAsync(TestCorpus.Animals);
        return index;
    }

    private static async Task<string> Fingerprint(SessionIndex index)
    {
        var docs = await index.GetDocsAsync();
        var query = await index.QueryAsync("cat dog eagle flies", new QueryOptions { Alpha = 0.5f, TopK = 6 });
        return $"{index.DocCount}|{string.Join(',', docs.Select(d => $"{d.Id}:{d.Text}"))}|{string.Join(',', query.Docs.Select(d => $"{d.Id}:{d.Score:R}"))}";
    }

    private static async Task AssertRejectedAdd(IEnumerable<DocumentInfo> batch, string paramName, string? messagePart = null, MutationOptions? options = null)
    {
        var index = await Index();
        string before = await Fingerprint(index);
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => index.AddDocsAsync(batch, options));
        Assert.Equal(paramName, error.ParamName);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await Fingerprint(index));
    }

    private static async Task AssertRejectedQuery(string text, QueryOptions options, string paramName, string? messagePart = null, SessionIndex? index = null)
    {
        index ??= await Index();
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => index.QueryAsync(text, options));
        Assert.Equal(paramName, error.ParamName);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public Task Null_id_is_rejected() => AssertRejectedAdd([new DocumentInfo("ok", "fine"), new DocumentInfo(null!, "text")], "docs[1].Id");

    [Fact]
    public Task Empty_id_is_rejected() => AssertRejectedAdd([new DocumentInfo("", "text")], "docs[0].Id");

    [Fact]
    public Task Oversize_id_is_rejected_naming_the_limit() => AssertRejectedAdd([new DocumentInfo("123456789", "text")], "docs[0].Id", "limit is 8");

    [Fact]
    public Task Duplicate_ids_in_one_batch_are_rejected() =>
        AssertRejectedAdd([new DocumentInfo("a", "one"), new DocumentInfo("b", "two"), new DocumentInfo("a", "three")], "docs[2].Id", "\"a\"");

    [Fact]
    public Task Text_over_the_limit_is_rejected() => AssertRejectedAdd([new DocumentInfo("long", new string('x', 101))], "docs[0].Text", "limit is 100");

    [Fact]
    public Task Null_text_is_rejected() => AssertRejectedAdd([new DocumentInfo("n", null!)], "docs[0].Text");

    [Fact]
    public Task Oversize_batch_is_rejected() =>
        AssertRejectedAdd(Enumerable.Range(0, 11).Select(i => new DocumentInfo($"b{i}", "text")), "docs", "at most 10");

    [Fact]
    public Task Upsert_false_with_an_existing_id_names_the_id() =>
        AssertRejectedAdd([new DocumentInfo("new", "fresh"), new DocumentInfo("dog", "replacement")], "docs[1].Id", "\"dog\" already exists", new MutationOptions { Upsert = false });

    [Fact]
    public Task Caller_embedding_to_a_model_that_does_not_accept_one_is_rejected() =>
        AssertRejectedAdd([new DocumentInfo("e", "text", Embedding: new float[64])], "docs[0].Embedding", "AllowCallerEmbeddings");

    [Fact]
    public Task Null_metadata_value_is_rejected() =>
        AssertRejectedAdd([new DocumentInfo("m", "text", new Dictionary<string, string> { ["k"] = null! })], "docs[0].Metadata");

    [Fact]
    public async Task Custom_mode_rejects_wrong_dimension_nan_infinite_and_missing_vectors()
    {
        var index = new SessionIndex("custom", embedder: null);
        await index.AddDocsAsync([new DocumentInfo("first", "text", Embedding: [1, 0, 0])]);
        var before = await index.QueryAsync("q", new QueryOptions { Alpha = 1, Embedding = [1, 1, 0] });
        foreach (var (vector, message) in new (float[]? Vector, string Message)[]
        {
            ([1, 0], "expects 3"),
            ([1, float.NaN, 0], "finite"),
            ([1, float.PositiveInfinity, 0], "finite"),
            (null, "required"),
        })
        {
            var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => index.AddDocsAsync([new DocumentInfo("ok", "fine", Embedding: [0, 1, 0]), new DocumentInfo("bad", "text", Embedding: vector)]));
            Assert.Equal("docs[1].Embedding", error.ParamName);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, index.DocCount);
        var after = await index.QueryAsync("q", new QueryOptions { Alpha = 1, Embedding = [1, 1, 0] });
        Assert.Equal(before.Docs, after.Docs);

        await AssertRejectedQuery("q", new QueryOptions { Alpha = 1, Embedding = [1, 0] }, "options.Embedding", "expects 3", index);
        await AssertRejectedQuery("q", new QueryOptions { Alpha = 1, Embedding = [float.NaN, 0, 0] }, "options.Embedding", "finite", index);
        await AssertRejectedQuery("q", new QueryOptions { Alpha = 0.5f }, "options.Embedding", "custom mode", index);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public Task Empty_query_is_rejected(string query) => AssertRejectedQuery(query, new QueryOptions(), "text");

    [Fact]
    public async Task Null_query_is_rejected() => await Assert.ThrowsAsync<ArgumentNullException>(async () => await (await Index()).QueryAsync(null!));

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(51)]
    public Task TopK_out_of_range_is_rejected_naming_the_limit(int topK) =>
        AssertRejectedQuery("cat", new QueryOptions { TopK = topK }, "options.TopK", "between 1 and 50");

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public Task Alpha_outside_zero_one_is_rejected(float alpha) => AssertRejectedQuery("cat", new QueryOptions { Alpha = alpha }, "options.Alpha", "[0, 1]");

    [Fact]
    public Task Query_embedding_to_a_model_that_does_not_accept_one_is_rejected() =>
        AssertRejectedQuery("cat", new QueryOptions { Embedding = new float[64] }, "options.Embedding", "embeds queries itself");

    [Fact]
    public Task Query_over_the_length_limit_is_rejected() =>
        AssertRejectedQuery(new string('q', 9000), new QueryOptions(), "text", "limit is 8192");

    [Fact]
    public void Unknown_filter_operator_is_rejected_naming_the_path()
    {
        var error = Assert.Throws<ArgumentException>(() => Filter.Parse("""{"field":"kind","condition":{"$regex":"p.*"}}"""));
        Assert.Contains("$.condition.$regex", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_or_empty_ids_in_delete_are_rejected_and_nothing_is_deleted()
    {
        var index = await Index();
        string before = await Fingerprint(index);
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => index.DeleteDocsAsync(["cat", ""]));
        Assert.Equal("docIds[1]", error.ParamName);
        Assert.Equal(before, await Fingerprint(index));
    }

    [Fact]
    public void Invalid_options_are_rejected_at_construction()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SessionIndex("x", null, new SessionIndexOptions { MaxTopK = 0 }));
        Assert.Equal("MaxTopK", error.ParamName);
    }

    [Fact]
    public async Task Cancelled_add_changes_nothing()
    {
        var index = await Index();
        string before = await Fingerprint(index);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.AddDocsAsync([new DocumentInfo("z", "text")], cancellationToken: cts.Token));
        Assert.Equal(before, await Fingerprint(index));
    }
}
