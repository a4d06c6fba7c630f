using MossGrains.Engine.Persistence;
using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Persistence;

public class IndexBinaryTests
{
    private static readonly string[] Queries = ["cat sofa", "eagle flies", "cold rivers", "words at home", "spider web"];

    /// <summary>An index with updates and deletes, large enough (with a low ANN threshold) to exercise the HNSW graph.</summary>
    private static async Task<SessionIndex> BuiltIndex(HashedBagOfWordsEmbedder embedder)
    {
        var index = new SessionIndex("saved", embedder, new SessionIndexOptions { AnnThreshold = 50 });
        await index.AddDocsAsync(TestCorpus.Animals);
        var words = TestCorpus.Animals.SelectMany(d => d.Text.Split(' ')).Distinct().ToArray();
        var random = new Random(7);
        await index.AddDocsAsync(Enumerable.Range(0, 300).Select(i => new DocumentInfo(
            $"gen-{i}",
            string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[random.Next(words.Length)])),
            new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        await index.AddDocsAsync([new DocumentInfo("gen-3", "replaced text about the eagle"), new DocumentInfo("dog", "the dog sleeps")]);
        await index.DeleteDocsAsync(["gen-10", "gen-11", "salmon"]);
        return index;
    }

    private static async Task<string> Answers(SessionIndex index)
    {
        var lines = new List<string> { $"count={index.DocCount}" };
        foreach (var query in Queries)
        {
            foreach (float alpha in new[] { 0f, 0.4f, 1f })
            {
                var result = await index.QueryAsync(query, new QueryOptions { Alpha = alpha, TopK = 10 });
                lines.Add(string.Join(',', result.Docs.Select(d => $"{d.Id}:{BitConverter.SingleToInt32Bits(d.Score):X8}")));
            }
        }

        var docs = await index.GetDocsAsync(new GetDocumentsOptions { IncludeEmbeddings = true });
        lines.Add(string.Join(',', docs.Select(d => $"{d.Id}|{d.Text}|{d.Metadata?.Count}|{d.Embedding!.Sum():R}")));
        return string.Join('\n', lines);
    }

    private static async Task<byte[]> Save(SessionIndex index)
    {
        using var stream = new MemoryStream();
        await index.SaveAsync(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task Round_trip_gives_identical_results_without_re_embedding()
    {
        var original = await BuiltIndex(new HashedBagOfWordsEmbedder());
        var bytes = await Save(original);

        var counting = new HashedBagOfWordsEmbedder();
        var loaded = new SessionIndex("saved", counting, new SessionIndexOptions { AnnThreshold = 50 });
        await loaded.LoadAsync(new MemoryStream(bytes));
        Assert.Equal(0, counting.Calls);
        Assert.Equal(await Answers(original), await Answers(loaded));

        // The same snapshot saves to the same bytes, and the loaded index keeps accepting writes.
        Assert.Equal(bytes, await Save(loaded));
        await loaded.AddDocsAsync([new DocumentInfo("late", "a late eagle arrives")]);
        Assert.Equal("late", (await loaded.QueryAsync("late eagle arrives", new QueryOptions { Alpha = 1, TopK = 1 })).Docs[0].Id);
    }

    [Fact]
    public async Task Custom_mode_round_trips_and_takes_its_dimension_from_the_file()
    {
        var original = new SessionIndex("custom", embedder: null);
        await original.AddDocsAsync([new DocumentInfo("a", "alpha", Embedding: [1, 0]), new DocumentInfo("b", "beta", Embedding: [0, 1])]);
        var loaded = new SessionIndex("custom", embedder: null);
        await loaded.LoadAsync(new MemoryStream(await Save(original)));
        Assert.Equal(2, loaded.Dimensions);
        Assert.Equal("b", (await loaded.QueryAsync("q", new QueryOptions { Alpha = 1, Embedding = [0.2f, 1] })).Docs[0].Id);
    }

    [Fact]
    public async Task Empty_index_round_trips()
    {
        var loaded = new SessionIndex("e", new HashedBagOfWordsEmbedder());
        await loaded.LoadAsync(new MemoryStream(await Save(new SessionIndex("e", new HashedBagOfWordsEmbedder()))));
        Assert.Equal(0, loaded.DocCount);
    }

    public static TheoryData<string, int> Damages => new()
    {
        { "truncated", 1 },
        { "truncated", 100 },
        { "truncated-to-header", 0 },
        { "flipped", 9 },
        { "flipped", 60 },
        { "flipped", -5 },
        { "future-version", 0 },
        { "bad-magic", 0 },
        { "trailing", 0 },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Damaged_files_are_refused_and_nothing_is_loaded(string damage, int position)
    {
        var bytes = await Save(await BuiltIndex(new HashedBagOfWordsEmbedder()));
        byte[] damaged = damage switch
        {
            "truncated" => bytes[..^position],
            "truncated-to-header" => bytes[..20],
            "flipped" => Flip(bytes, position >= 0 ? position : bytes.Length / 2),
            "future-version" => WithVersion(bytes, 99),
            "bad-magic" => Flip(bytes, 0),
            "trailing" => [.. bytes, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };

        var target = new SessionIndex("target", new HashedBagOfWordsEmbedder());
        await target.AddDocsAsync([new DocumentInfo("keep", "the index keeps this document")]);
        var error = await Assert.ThrowsAsync<IndexFormatException>(() => target.LoadAsync(new MemoryStream(damaged)));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        if (damage == "future-version")
        {
            Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, target.DocCount);
        Assert.Equal("keep", (await target.QueryAsync("keeps document", new QueryOptions { Alpha = 0.5f })).Docs[0].Id);
    }

    [Fact]
    public async Task File_of_another_model_is_refused()
    {
        var bytes = await Save(await BuiltIndex(new HashedBagOfWordsEmbedder()));
        var custom = new SessionIndex("custom", embedder: null);
        var error = await Assert.ThrowsAsync<IndexFormatException>(() => custom.LoadAsync(new MemoryStream(bytes)));
        Assert.Contains("test-hashed-bow-64", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, custom.DocCount);
    }

    private static byte[] Flip(byte[] bytes, int position)
    {
        var copy = bytes.ToArray();
        copy[position] ^= 0x5A;
        return copy;
    }

    private static byte[] WithVersion(byte[] bytes, int version)
    {
        var copy = bytes.ToArray();
        BitConverter.TryWriteBytes(copy.AsSpan(8, 4), version);
        return copy;
    }
}
