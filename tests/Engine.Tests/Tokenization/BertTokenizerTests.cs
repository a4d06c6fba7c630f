using MossGrains.Engine.Tests.Onnx;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Tests.Tokenization;

public sealed class BertTokenizerTests
{
    private static readonly BertTokenizer MiniLm = BertTokenizerLoader.FromDirectory(OnnxTestAssets.MiniLmTokenizerDirectory);

    [Fact]
    public void Encode_KnownSentence_GivesBertIds()
    {
        // Ids of bert-base-uncased / MiniLM for "Hello, world!".
        Assert.Equal([101, 7592, 1010, 2088, 999, 102], MiniLm.Encode("Hello, world!"));
        // Greedy longest match first over MiniLM's vocabulary (transformers.js splits it the same way).
        Assert.Equal(["una", "##ffa", "##ble"], MiniLm.Tokenize("unaffable"));
    }

    [Fact]
    public void Encode_StripsAccentsAndLowercases()
    {
        Assert.Equal(MiniLm.Encode("creme brulee"), MiniLm.Encode("Crème Brûlée"));
        Assert.Equal(MiniLm.Encode("istanbul"), MiniLm.Encode("İstanbul"));
    }

    [Fact]
    public void Encode_LoneSurrogate_IsDroppedLikeAControlCharacter()
    {
        Assert.Equal(MiniLm.Encode("ab"), MiniLm.Encode("a\uD800b"));
    }

    [Fact]
    public void Encode_WordLongerThanLimit_IsOneUnknownToken()
    {
        Assert.Equal([101, MiniLm.UnknownTokenId, 102], MiniLm.Encode(new string('a', 101)));
    }

    [Fact]
    public void EncodeBatch_PadsToLongest_WithMaskAndZeroTypeIds()
    {
        string[] texts = ["short", "a somewhat longer sentence about refunds", ""];

        var batch = MiniLm.EncodeBatch(texts);

        var rows = texts.Select(t => MiniLm.Encode(t)).ToArray();
        Assert.Equal(rows.Max(r => r.Length), batch.SequenceLength);
        Assert.Equal([3L, batch.SequenceLength], batch.Shape);
        for (int row = 0; row < texts.Length; row++)
        {
            Assert.Equal(rows[row].Length, batch.Lengths[row]);
            for (int j = 0; j < batch.SequenceLength; j++)
            {
                int index = (row * batch.SequenceLength) + j;
                bool real = j < rows[row].Length;
                Assert.Equal(real ? rows[row][j] : MiniLm.PaddingTokenId, batch.InputIds[index]);
                Assert.Equal(real ? 1L : 0L, batch.AttentionMask[index]);
                Assert.Equal(0L, batch.TokenTypeIds[index]);
            }
        }
    }

    [Fact]
    public void EncodeBatch_AppliesMaxLengthPerRow()
    {
        var batch = MiniLm.EncodeBatch([string.Join(' ', Enumerable.Repeat("refund", 50)), "hi"], maxLength: 16);

        Assert.Equal(16, batch.SequenceLength);
        Assert.Equal([16, 3], batch.Lengths);
        Assert.Equal(MiniLm.SeparatorTokenId, batch.InputIds[15]);
    }

    [Fact]
    public void Encode_MaxLengthBelowTwo_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MiniLm.Encode("hello", maxLength: 1));

        Assert.Equal("maxLength", error.ParamName);
    }

    [Fact]
    public void Encode_ThirtyWordUtteranceIntoReusedList_AllocatesNothing()
    {
        const string utterance = "Hi, I ordered running shoes last Tuesday and the tracking page says label created, " +
            "so could you tell me when it will ship and if I can change the address?";
        var ids = new List<int>(128);
        MiniLm.Encode(utterance, ids);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            ids.Clear();
            MiniLm.Encode(utterance, ids);
        }

        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.True(perCall == 0, $"{perCall} bytes allocated per call");
    }

    [Fact]
    public void FromDirectory_WithoutTokenizerFiles_NamesFolderAndFix()
    {
        var directory = Directory.CreateTempSubdirectory("no-tokenizer-");
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => BertTokenizerLoader.FromDirectory(directory.FullName));

            Assert.Contains(directory.FullName, error.Message, StringComparison.Ordinal);
            Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void FromTokenizerJson_Corrupt_IsRefusedNamingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tokenizer-{Guid.NewGuid():N}.json");
        var full = File.ReadAllText(Path.Combine(OnnxTestAssets.MiniLmTokenizerDirectory, "tokenizer.json"));
        File.WriteAllText(path, full[..(full.Length / 2)]);
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => BertTokenizerLoader.FromTokenizerJson(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromTokenizerJson_NonWordPieceModel_IsNotSupported()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tokenizer-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"model": {"type": "BPE", "vocab": {}, "merges": []}}""");
        try
        {
            var error = Assert.Throws<NotSupportedException>(() => BertTokenizerLoader.FromTokenizerJson(path));

            Assert.Contains("BPE", error.Message, StringComparison.Ordinal);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
