using System.Text.Json;
using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Engine.Embedding.Model2Vec;

/// <summary>
/// The part of a BERT WordPiece tokenizer (tokenizer.json, <c>model.type = "WordPiece"</c>) a static model
/// needs: BERT normalisation (control characters dropped, optional lower-casing with Latin accent folding,
/// CJK ideographs as single words), splitting on whitespace and punctuation, then greedy longest-match
/// sub-words with the continuation prefix (<c>##</c>). Special tokens are not added; words that cannot be
/// split, or are longer than <c>max_input_chars_per_word</c>, would be the unknown token, which static
/// pooling skips (as Model2Vec does), so they produce no id.
/// </summary>
public sealed class WordPieceVocabularyTokenizer : IStaticTokenizer
{
    private const int MaxWordBuffer = 256;

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string _prefix;
    private readonly int _maxWordChars;
    private readonly bool _lowercase;

    public WordPieceVocabularyTokenizer(IReadOnlyDictionary<string, int> vocabulary, string unknownToken, string continuingSubwordPrefix = "##", int maxInputCharsPerWord = 100, bool lowercase = true)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(continuingSubwordPrefix);
        _vocabulary = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
        _lookup = _vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        UnknownId = _vocabulary.TryGetValue(unknownToken ?? string.Empty, out int unknown) ? unknown : -1;
        _prefix = continuingSubwordPrefix;
        _maxWordChars = Math.Min(maxInputCharsPerWord, MaxWordBuffer - continuingSubwordPrefix.Length);
        _lowercase = lowercase;
    }

    /// <summary>Id of the unknown token, or -1 when the vocabulary has none.</summary>
    public int UnknownId { get; }

    public int VocabularySize => _vocabulary.Count == 0 ? 0 : _vocabulary.Values.Max() + 1;

    /// <summary>A word of n characters yields at most n pieces.</summary>
    public int MinimumBuffer => _maxWordChars + 1;

    /// <summary>Reads the WordPiece model and BERT normaliser settings of a Hugging Face tokenizer.json.</summary>
    public static WordPieceVocabularyTokenizer FromTokenizerJson(string path)
    {
        using var stream = File.OpenRead(path);
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var model = root.GetProperty("model");
        string type = model.TryGetProperty("type", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        if (type != "WordPiece")
        {
            throw new NotSupportedException($"'{path}' uses a {type} tokenizer; static models load WordPiece tokenizers only.");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        bool lowercase = root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object
            && normalizer.TryGetProperty("lowercase", out var lower) && lower.ValueKind == JsonValueKind.True;
        return new WordPieceVocabularyTokenizer(
            vocabulary,
            model.TryGetProperty("unk_token", out var unk) ? unk.GetString() ?? "[UNK]" : "[UNK]",
            model.TryGetProperty("continuing_subword_prefix", out var prefix) ? prefix.GetString() ?? "##" : "##",
            model.TryGetProperty("max_input_chars_per_word", out var max) ? max.GetInt32() : 100,
            lowercase);
    }

    public int Tokenize(ReadOnlySpan<char> text, ref int position, Span<int> ids)
    {
        Span<char> word = stackalloc char[MaxWordBuffer];
        int written = 0;
        int i = position;
        while (i < text.Length && ids.Length - written >= MinimumBuffer)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\uFFFD')
            {
                i++;
                continue;
            }

            if (IsPunctuation(c) || IsCjk(c))
            {
                word[0] = _lowercase ? LatinFolding.Fold(c) : c;
                written += EmitWord(word[..1], ids[written..]);
                i++;
                continue;
            }

            int length = 0;
            bool tooLong = false;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && !IsPunctuation(text[i]) && !IsCjk(text[i]))
            {
                if (!char.IsControl(text[i]))
                {
                    if (length < _maxWordChars)
                    {
                        word[length++] = _lowercase ? LatinFolding.Fold(text[i]) : text[i];
                    }
                    else
                    {
                        tooLong = true;
                    }
                }

                i++;
            }

            if (!tooLong)
            {
                written += EmitWord(word[..length], ids[written..]);
            }
        }

        position = i;
        return written;
    }

    private int EmitWord(ReadOnlySpan<char> word, Span<int> ids)
    {
        if (word.IsEmpty)
        {
            return 0;
        }

        Span<char> candidate = stackalloc char[MaxWordBuffer];
        _prefix.CopyTo(candidate);
        int written = 0;
        int start = 0;
        while (start < word.Length)
        {
            int found = -1;
            int end = word.Length;
            for (; end > start; end--)
            {
                bool known;
                if (start == 0)
                {
                    known = _lookup.TryGetValue(word[..end], out found);
                }
                else
                {
                    word[start..end].CopyTo(candidate[_prefix.Length..]);
                    known = _lookup.TryGetValue(candidate[..(_prefix.Length + end - start)], out found);
                }

                if (known)
                {
                    break;
                }

                found = -1;
            }

            if (found < 0)
            {
                // The whole word is unknown, as in BERT: pieces found so far are discarded.
                return 0;
            }

            ids[written++] = found;
            start = end;
        }

        return written;
    }

    private static bool IsPunctuation(char c) =>
        c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~') || char.IsPunctuation(c);

    private static bool IsCjk(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
}
