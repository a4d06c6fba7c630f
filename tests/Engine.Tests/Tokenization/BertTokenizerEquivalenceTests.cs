using System.Text;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Tests.Onnx;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Tests.Tokenization;

/// <summary>Token-for-token equality with transformers.js on the generated fixture strings.</summary>
public sealed class BertTokenizerEquivalenceTests
{
    [Fact]
    public void Fixtures_CoverAtLeastTwoThousandStrings()
    {
        Assert.True(TokenizerFixtures.Cases.Count >= 2000, $"only {TokenizerFixtures.Cases.Count} fixture strings");
        Assert.Contains(TokenizerFixtures.Cases, c => c.Ids.Length > 512);
    }

    [Fact]
    public void TokenizerJson_MatchesTransformersJsOnEveryString()
    {
        var tokenizer = BertTokenizerLoader.FromDirectory(OnnxTestAssets.MiniLmTokenizerDirectory);

        AssertAllMatch(tokenizer, TokenizerFixtures.Cases);
    }

    [Theory]
    [InlineData("moss-minilm-fp32")]
    [InlineData("moss-arctic-xs")]
    public void PackagedModelTokenizer_MatchesTransformersJsOnEveryString(string modelId)
    {
        // The packages carry only vocab.txt; the engine supplies MiniLM's uncased BERT settings. Both packaged models
        // (arctic-embed-xs is fine-tuned from all-MiniLM-L6-v2) must tokenize as ../shared's all-MiniLM-L6-v2 tokenizer.json does.
        var model = new[] { PackagedSentenceModel.MiniLm, PackagedSentenceModel.ArcticXs }.Single(m => m.ModelId == modelId);
        var tokenizer = model.ReadSettings().Tokenizer;

        Assert.Contains(model.PackageId, tokenizer.Source, StringComparison.Ordinal);
        AssertAllMatch(tokenizer, TokenizerFixtures.Cases);
    }

    [Fact]
    public void VocabTxtAlone_MatchesTransformersJsOnEveryString()
    {
        var directory = Directory.CreateTempSubdirectory("vocab-only-");
        try
        {
            foreach (var name in new[] { "vocab.txt", "tokenizer_config.json" })
            {
                File.Copy(Path.Combine(OnnxTestAssets.MiniLmTokenizerDirectory, name), Path.Combine(directory.FullName, name));
            }

            var tokenizer = BertTokenizerLoader.FromDirectory(directory.FullName);

            Assert.EndsWith("vocab.txt", tokenizer.Source, StringComparison.Ordinal);
            AssertAllMatch(tokenizer, TokenizerFixtures.Cases);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Truncation_KeepsClsAndSep_AndCutsWordPiecesFromTheEnd()
    {
        var tokenizer = BertTokenizerLoader.FromDirectory(OnnxTestAssets.MiniLmTokenizerDirectory);
        int checkedLong = 0;
        foreach (var (text, full) in TokenizerFixtures.Cases)
        {
            var truncated = tokenizer.Encode(text, maxLength: 128);
            if (full.Length <= 128)
            {
                Assert.Equal(full, truncated);
                continue;
            }

            checkedLong++;
            Assert.Equal(128, truncated.Length);
            Assert.Equal(full[..127], truncated[..127]);
            Assert.Equal(tokenizer.SeparatorTokenId, truncated[127]);
        }

        Assert.True(checkedLong >= 50, $"only {checkedLong} fixture strings exceed 128 tokens");
    }

    private static void AssertAllMatch(BertTokenizer tokenizer, IReadOnlyList<(string Text, int[] Ids)> cases)
    {
        var failures = new StringBuilder();
        int failed = 0;
        foreach (var (text, expected) in cases)
        {
            var actual = tokenizer.Encode(text);
            if (actual.AsSpan().SequenceEqual(expected))
            {
                continue;
            }

            if (++failed <= 10)
            {
                failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Escape(text)}\n  expected {Tokens(tokenizer, expected)}\n  actual   {Tokens(tokenizer, actual)}");
            }
        }

        Assert.True(failed == 0, $"{failed} of {cases.Count} strings differ from transformers.js:\n{failures}");
    }

    private static string Tokens(BertTokenizer tokenizer, int[] ids) =>
        string.Join(" ", ids.Take(40).Select(id => tokenizer.Vocabulary.GetToken(id)));

    private static string Escape(string text) =>
        string.Concat(text.Take(120).Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}
