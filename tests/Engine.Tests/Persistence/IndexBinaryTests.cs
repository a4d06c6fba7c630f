using MossGrains.Engine.Analysis;
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

    /// <summary>Each damage with the words its refusal must contain. "payload" flips lie past the header, inside the checksummed payload.</summary>
    public static TheoryData<string, int, string> Damages => new()
    {
        { "truncated", 1, "is truncated" },
        { "truncated", 100, "is truncated" },
        { "truncated-to-header", 0, "is truncated" },
        { "payload", 0, "checksum mismatch" },
        { "payload", 1, "checksum mismatch" },
        { "checksum", 5, "checksum mismatch" },
        { "future-version", 0, "version 99 is not supported" },
        { "bad-magic", 0, "bad magic bytes" },
        { "trailing", 0, "1 unexpected trailing bytes" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Damaged_files_are_refused_with_a_specific_message_and_nothing_is_loaded(string damage, int position, string expected)
    {
        var bytes = await Save(await BuiltIndex(new HashedBagOfWordsEmbedder()));
        int payloadStart = HeaderLength(bytes);
        int payloadEnd = bytes.Length - 32;
        Assert.Equal(payloadEnd - payloadStart, BitConverter.ToInt64(bytes, payloadStart - 8)); // the header's payload length confirms the layout
        byte[] damaged = damage switch
        {
            "truncated" => bytes[..^position],
            "truncated-to-header" => bytes[..20],
            "payload" => Flip(bytes, position == 0 ? payloadStart + 3 : (payloadStart + payloadEnd) / 2),
            "checksum" => Flip(bytes, bytes.Length - position),
            "future-version" => WithVersion(bytes, 99),
            "bad-magic" => Flip(bytes, 0),
            "trailing" => [.. bytes, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };

        var error = await AssertRefusedAndUntouched(damaged);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flipped_version_field_is_refused_as_an_unsupported_version()
    {
        var bytes = await Save(await BuiltIndex(new HashedBagOfWordsEmbedder()));
        var error = await AssertRefusedAndUntouched(Flip(bytes, 9)); // second byte of the int32 version: 2 → 23042
        Assert.Contains("version 23042 is not supported; this build reads version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flipped_header_field_after_the_version_fails_the_checksum()
    {
        var bytes = await Save(await BuiltIndex(new HashedBagOfWordsEmbedder()));
        var error = await AssertRefusedAndUntouched(Flip(bytes, 14)); // inside the model id string
        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_1_file_is_refused_with_the_rebuild_advice()
    {
        var bytes = await Save(await BuiltIndex(new HashedBagOfWordsEmbedder()));
        var error = await AssertRefusedAndUntouched(WithVersion(bytes, 1));
        Assert.Contains("version 1 does not record its keyword-analysis settings", error.Message, StringComparison.Ordinal);
        Assert.Contains("adding its documents again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_of_another_model_is_refused()
    {
        var bytes = await Save(await BuiltIndex(new HashedBagOfWordsEmbedder()));
        var custom = new SessionIndex("custom", embedder: null);
        var error = await Assert.ThrowsAsync<IndexFormatException>(() => custom.LoadAsync(new MemoryStream(bytes)));
        Assert.Equal("Index binary was built with model \"test-hashed-bow-64\"; this index uses \"custom\".", error.Message);
        Assert.Equal(0, custom.DocCount);
    }

    public static TheoryData<bool, string[]?, string, string> AnalyzerMismatches => new()
    {
        { false, null, "stemming on", "stemming off" },
        { true, [], "33 stopwords", "0 stopwords" },
        { true, ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "when"], "sha256 ", "sha256 " },
    };

    [Theory]
    [MemberData(nameof(AnalyzerMismatches))]
    public async Task File_saved_with_other_keyword_analysis_is_refused_naming_both_settings(bool stemming, string[]? stopwords, string saved, string loading)
    {
        var bytes = await Save(await BuiltIndex(new HashedBagOfWordsEmbedder()));
        var options = new SessionIndexOptions { Stemming = stemming, Stopwords = stopwords is null ? EnglishStopwords.Default : new HashSet<string>(stopwords) };
        var target = new SessionIndex("target", new HashedBagOfWordsEmbedder(), options);
        var error = await Assert.ThrowsAsync<IndexFormatException>(() => target.LoadAsync(new MemoryStream(bytes)));
        string savedSettings = AnalyzerSettings.Of(EnglishStopwords.Default, stemming: true).ToString();
        string loadingSettings = AnalyzerSettings.Of(options.Stopwords, stemming).ToString();
        Assert.NotEqual(savedSettings, loadingSettings);
        Assert.Contains($"saved with keyword analysis [{savedSettings}]; this index uses [{loadingSettings}]", error.Message, StringComparison.Ordinal);
        Assert.Contains(saved, savedSettings, StringComparison.Ordinal);
        Assert.Contains(loading, loadingSettings, StringComparison.Ordinal);
        Assert.Contains("SessionIndexOptions.Stemming and Stopwords", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, target.DocCount);
    }

    [Fact]
    public async Task File_saved_with_non_default_keyword_analysis_loads_into_a_matching_index()
    {
        var options = new SessionIndexOptions { Stemming = false, Stopwords = new HashSet<string> { "when" } };
        var original = new SessionIndex("plain", new HashedBagOfWordsEmbedder(), options);
        await original.AddDocsAsync([new DocumentInfo("r", "the runner was running when it rained")]);
        var loaded = new SessionIndex("plain", new HashedBagOfWordsEmbedder(), new SessionIndexOptions { Stemming = false, Stopwords = new HashSet<string> { "when" } });
        await loaded.LoadAsync(new MemoryStream(await Save(original)));
        Assert.Equal("r", Assert.Single((await loaded.QueryAsync("running", new QueryOptions { Alpha = 0 })).Docs).Id);
        Assert.Empty((await loaded.QueryAsync("run", new QueryOptions { Alpha = 0 })).Docs);
    }

    private static async Task<IndexFormatException> AssertRefusedAndUntouched(byte[] damaged)
    {
        var target = new SessionIndex("target", new HashedBagOfWordsEmbedder());
        await target.AddDocsAsync([new DocumentInfo("keep", "the index keeps this document")]);
        var error = await Assert.ThrowsAsync<IndexFormatException>(() => target.LoadAsync(new MemoryStream(damaged)));
        Assert.Equal(1, target.DocCount);
        Assert.Equal("keep", (await target.QueryAsync("keeps document", new QueryOptions { Alpha = 0.5f })).Docs[0].Id);
        return error;
    }

    /// <summary>Bytes before the payload: magic, version, model id, name, analyzer settings, dimensions, counts, payload length.</summary>
    private static int HeaderLength(byte[] bytes)
    {
        int position = 12;
        position = SkipString(bytes, position); // model id
        position = SkipString(bytes, position); // name
        position += 4 + 1 + 4;                  // analyzer version, stemming, stopword count
        position = SkipString(bytes, position); // stopwords hash
        return position + 4 + 4 + 4 + 8;
    }

    private static int SkipString(byte[] bytes, int position)
    {
        Assert.True(bytes[position] < 0x80, "test strings are shorter than 128 bytes");
        return position + 1 + bytes[position];
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
