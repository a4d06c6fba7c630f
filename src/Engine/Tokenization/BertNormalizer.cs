namespace MossGrains.Engine.Tokenization;

/// <summary>
/// BERT's text normalisation, step for step as tokenizer.json's <c>BertNormalizer</c> (and
/// transformers.js) does it: clean control characters and whitespace, space out CJK ideographs,
/// lower-case, strip accents.
/// </summary>
internal sealed class BertNormalizer(BertTokenizerOptions options)
{
    private const int CapitalSigma = 0x3A3;

    private readonly bool _clean = options.CleanText;
    private readonly bool _chinese = options.HandleChineseChars;
    private readonly bool _lowercase = options.Lowercase;
    private readonly bool _strip = options.ShouldStripAccents;

    /// <summary>Writes the normalised form of <paramref name="text"/> to <paramref name="output"/>; <paramref name="scratch"/> holds the intermediate form.</summary>
    public void Normalize(ReadOnlySpan<char> text, ref CharBuffer scratch, ref CharBuffer output)
    {
        output.Clear();
        if (!_lowercase && !_strip)
        {
            CleanAndSpaceIdeographs(text, ref output);
            return;
        }

        scratch.Clear();
        CleanAndSpaceIdeographs(text, ref scratch);
        CaseFoldAndStrip(scratch.Span, ref output);
    }

    /// <summary>True for the CJK ideograph blocks BERT splits on, BMP only: the reference tests UTF-16 code units.</summary>
    internal static bool IsChineseChar(int unit) =>
        unit is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0xF900 and <= 0xFAFF);

    private void CleanAndSpaceIdeographs(ReadOnlySpan<char> text, ref CharBuffer output)
    {
        for (int i = 0; i < text.Length;)
        {
            int cp = CodePoints.At(text, i, out int width);
            i += width;
            if (_clean)
            {
                if (cp is 0 or 0xFFFD || (cp is not ('\t' or '\n' or '\r') && UnicodeTables.IsControlOrFormat(cp)))
                {
                    continue;
                }

                if (UnicodeTables.IsWhitespace(cp))
                {
                    output.Append(' ');
                    continue;
                }
            }

            if (_chinese && IsChineseChar(cp))
            {
                output.Append(' ');
                output.Append((char)cp);
                output.Append(' ');
                continue;
            }

            output.AppendCodePoint(cp);
        }
    }

    private void CaseFoldAndStrip(ReadOnlySpan<char> text, ref CharBuffer output)
    {
        for (int i = 0; i < text.Length;)
        {
            int start = i;
            int cp = CodePoints.At(text, i, out int width);
            i += width;
            if (cp < 0x80)
            {
                output.Append(_lowercase && cp is >= 'A' and <= 'Z' ? (char)(cp + 32) : (char)cp);
                continue;
            }

            if (!_lowercase)
            {
                AppendStripped(cp, ref output);
                continue;
            }

            if (cp == CapitalSigma)
            {
                AppendStripped(IsFinalSigma(text, start, i) ? 0x3C2 : 0x3C3, ref output);
                continue;
            }

            var lower = UnicodeTables.Lowercase(cp);
            if (lower is null)
            {
                AppendStripped(cp, ref output);
                continue;
            }

            for (int j = 0; j < lower.Length;)
            {
                AppendStripped(CodePoints.At(lower, j, out int w), ref output);
                j += w;
            }
        }
    }

    private void AppendStripped(int cp, ref CharBuffer output)
    {
        if (!_strip)
        {
            output.AppendCodePoint(cp);
            return;
        }

        if (UnicodeTables.TryAppendHangulJamo(cp, ref output))
        {
            return;
        }

        var decomposition = UnicodeTables.Decomposition(cp);
        if (decomposition is null)
        {
            if (!UnicodeTables.IsNonspacingMark(cp))
            {
                output.AppendCodePoint(cp);
            }

            return;
        }

        for (int j = 0; j < decomposition.Length;)
        {
            int part = CodePoints.At(decomposition, j, out int w);
            j += w;
            if (!UnicodeTables.IsNonspacingMark(part))
            {
                output.AppendCodePoint(part);
            }
        }
    }

    /// <summary>Unicode's Final_Sigma condition: a cased letter before (across case-ignorables) and none after.</summary>
    private static bool IsFinalSigma(ReadOnlySpan<char> text, int start, int end)
    {
        bool casedBefore = false;
        for (int i = start; i > 0;)
        {
            int cp = CodePoints.Before(text, i, out int width);
            i -= width;
            if (!UnicodeTables.IsCaseIgnorable(cp))
            {
                casedBefore = UnicodeTables.IsCased(cp);
                break;
            }
        }

        if (!casedBefore)
        {
            return false;
        }

        for (int i = end; i < text.Length;)
        {
            int cp = CodePoints.At(text, i, out int width);
            i += width;
            if (!UnicodeTables.IsCaseIgnorable(cp))
            {
                return !UnicodeTables.IsCased(cp);
            }
        }

        return true;
    }
}

/// <summary>UTF-16 code point access that treats a lone surrogate as a code point of its own, as JavaScript does.</summary>
internal static class CodePoints
{
    public static int At(ReadOnlySpan<char> text, int index, out int width)
    {
        char c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        width = 1;
        return c;
    }

    public static int Before(ReadOnlySpan<char> text, int index, out int width)
    {
        char c = text[index - 1];
        if (char.IsLowSurrogate(c) && index >= 2 && char.IsHighSurrogate(text[index - 2]))
        {
            width = 2;
            return char.ConvertToUtf32(text[index - 2], c);
        }

        width = 1;
        return c;
    }

    public static int Count(ReadOnlySpan<char> text)
    {
        int count = 0;
        for (int i = 0; i < text.Length; count++)
        {
            At(text, i, out int width);
            i += width;
        }

        return count;
    }
}
