using System.Globalization;
using System.Text;

namespace MossGrains.Engine.Analysis;

/// <summary>
/// Turns text into keyword terms: a token is a maximal run of Unicode letters, digits and combining
/// marks (apostrophes between letters are dropped, so "don't" → "dont"); tokens are lowercased with
/// invariant rules, stopwords removed, then optionally Porter2-stemmed.
/// </summary>
public sealed class TextAnalyzer
{
    private readonly IReadOnlySet<string> _stopwords;
    private readonly bool _stemming;

    public TextAnalyzer(IReadOnlySet<string> stopwords, bool stemming)
    {
        ArgumentNullException.ThrowIfNull(stopwords);
        _stopwords = stopwords;
        _stemming = stemming;
    }

    /// <summary>Appends the terms of <paramref name="text"/> to <paramref name="terms"/>, in text order.</summary>
    public void Analyze(string text, List<string> terms)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(terms);
        var token = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out int consumed);
            if (IsWordRune(rune))
            {
                AppendRune(token, Rune.ToLowerInvariant(rune));
            }
            else if (!(IsApostrophe(rune) && token.Length > 0 && i + consumed < text.Length && char.IsLetter(text, i + consumed)))
            {
                Flush(token, terms);
            }

            i += consumed;
        }

        Flush(token, terms);
    }

    public List<string> Analyze(string text)
    {
        var terms = new List<string>();
        Analyze(text, terms);
        return terms;
    }

    private void Flush(StringBuilder token, List<string> terms)
    {
        if (token.Length == 0)
        {
            return;
        }

        string term = token.ToString();
        token.Clear();
        if (_stopwords.Contains(term))
        {
            return;
        }

        terms.Add(_stemming ? EnglishStemmer.Stem(term) : term);
    }

    private static void AppendRune(StringBuilder token, Rune rune)
    {
        Span<char> buffer = stackalloc char[2];
        int written = rune.EncodeToUtf16(buffer);
        token.Append(buffer[..written]);
    }

    private static bool IsApostrophe(Rune rune) => rune.Value is '\'' or '\u2019';

    private static bool IsWordRune(Rune rune)
    {
        if (Rune.IsLetterOrDigit(rune))
        {
            return true;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.LetterNumber;
    }
}
