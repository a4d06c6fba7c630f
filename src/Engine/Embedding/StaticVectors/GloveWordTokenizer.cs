namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>
/// Splits text the way the GloVe / wink vocabulary is written: lower-case ASCII words, hyphenated
/// compounds (<c>state-of-the-art</c>, <c>h1n1</c>) and letter+digit words; no pure numbers, no
/// accents. A word is a run of Unicode letters and digits, joined by single inner hyphens; it is
/// lower-cased and common Latin accents are folded (<c>café</c> → <c>cafe</c>). A hyphenated word
/// not in the vocabulary falls back to its parts. Apostrophes, punctuation and symbols separate
/// words and are not embedded (in the vocabulary they are so frequent that SIF gives them ~0 weight).
/// Words not in the vocabulary (pure numbers among them) are out-of-vocabulary and skipped.
/// </summary>
public sealed class GloveWordTokenizer : IStaticTokenizer
{
    /// <summary>Longer words are treated as out-of-vocabulary without a lookup.</summary>
    public const int MaxWordLength = 64;

    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public GloveWordTokenizer(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        _ids = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int id = 0; id < words.Count; id++)
        {
            _ids.TryAdd(words[id], id);
        }

        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int MinimumBuffer => (MaxWordLength / 2) + 1;

    public int Tokenize(ReadOnlySpan<char> text, ref int position, Span<int> ids)
    {
        Span<char> word = stackalloc char[MaxWordLength];
        int written = 0;
        int i = position;
        while (i < text.Length && ids.Length - written >= MinimumBuffer)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            int length = 0;
            bool tooLong = false;
            bool hyphenated = false;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsLetterOrDigit(c))
                {
                    if (length < MaxWordLength)
                    {
                        word[length++] = LatinFolding.Fold(c);
                    }
                    else
                    {
                        tooLong = true;
                    }

                    i++;
                }
                else if (c == '-' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))
                {
                    if (length < MaxWordLength)
                    {
                        word[length++] = '-';
                    }
                    else
                    {
                        tooLong = true;
                    }

                    hyphenated = true;
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (tooLong)
            {
                continue;
            }

            var token = word[..length];
            if (_lookup.TryGetValue(token, out int id))
            {
                ids[written++] = id;
            }
            else if (hyphenated)
            {
                foreach (var range in token.Split('-'))
                {
                    if (_lookup.TryGetValue(token[range], out int partId))
                    {
                        ids[written++] = partId;
                    }
                }
            }
        }

        position = i;
        return written;
    }
}
