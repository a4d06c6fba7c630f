using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Engine.Tests.Embedding;

public class GloveWordTokenizerTests
{
    private static readonly GloveWordTokenizer Tokenizer = new(TinyStaticModels.Words);

    private static string[] Words(string text, int buffer = 256)
    {
        var result = new List<string>();
        var ids = new int[buffer];
        int position = 0;
        while (position < text.Length)
        {
            int before = position;
            int count = Tokenizer.Tokenize(text, ref position, ids);
            result.AddRange(ids.Take(count).Select(id => TinyStaticModels.Words[id]));
            Assert.True(position > before, "the tokenizer must make progress");
        }

        return [.. result];
    }

    [Fact]
    public void Lowercases_and_drops_punctuation()
    {
        Assert.Equal(["the", "cat", "and", "the", "dog"], Words("The CAT, and (the) Dog!"));
    }

    [Fact]
    public void Folds_latin_accents()
    {
        Assert.Equal(["cafe"], Words("Café"));
    }

    [Fact]
    public void Keeps_known_hyphenated_compounds_and_splits_unknown_ones()
    {
        Assert.Equal(["state-of-the-art", "car"], Words("a state-of-the-art car"));
        Assert.Equal(["cat", "dog"], Words("cat-dog"));
    }

    [Fact]
    public void Pure_numbers_and_unknown_words_are_out_of_vocabulary()
    {
        Assert.Equal(["h1n1", "virus"], Words("H1N1 virus 2009 zyzzyva"));
    }

    [Fact]
    public void Words_longer_than_the_limit_are_skipped_whole()
    {
        string longWord = new('x', GloveWordTokenizer.MaxWordLength + 5);
        Assert.Equal(["cat", "dog"], Words($"cat {longWord} dog"));
    }

    [Fact]
    public void Small_buffers_yield_the_same_tokens_in_chunks()
    {
        string text = string.Join(' ', Enumerable.Repeat("the cat-dog state-of-the-art kitten", 20));
        Assert.Equal(Words(text), Words(text, Tokenizer.MinimumBuffer));
    }
}
