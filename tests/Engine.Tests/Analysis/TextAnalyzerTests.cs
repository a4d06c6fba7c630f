using MossGrains.Engine.Analysis;

namespace MossGrains.Engine.Tests.Analysis;

public class TextAnalyzerTests
{
    [Fact]
    public void Splits_on_unicode_categories_lowercases_and_stems()
    {
        var analyzer = new TextAnalyzer(EnglishStopwords.Default, stemming: true);
        Assert.Equal(((string[])["running", "dogs", "café", "zürich", "2024", "東京"]).Select(EnglishStemmer.Stem), analyzer.Analyze("The RUNNING dogs, café—Zürich (2024) 東京!"));
    }

    [Fact]
    public void Keeps_combining_marks_and_joins_inner_apostrophes()
    {
        var analyzer = new TextAnalyzer(EnglishStopwords.None, stemming: false);
        Assert.Equal(["cafe\u0301", "dont", "rock"], analyzer.Analyze("cafe\u0301 don't 'rock'"));
    }

    [Fact]
    public void Stopwords_and_stemming_are_configurable()
    {
        var plain = new TextAnalyzer(EnglishStopwords.None, stemming: false);
        Assert.Equal(["the", "cats", "are", "running"], plain.Analyze("The cats are running"));

        var custom = new TextAnalyzer(new HashSet<string> { "cats" }, stemming: true);
        Assert.Equal(["the", "are", "run"], custom.Analyze("The cats are running"));
    }

    [Fact]
    public void Handles_supplementary_plane_letters()
    {
        var analyzer = new TextAnalyzer(EnglishStopwords.None, stemming: false);
        Assert.Equal(["𝒜bc", "x"], analyzer.Analyze("𝒜bc 😀 x"));
    }
}
