namespace MossGrains.Engine.Tokenization;

/// <summary>
/// How a BERT tokenizer normalises and splits text; the fields of tokenizer.json's
/// <c>BertNormalizer</c> and <c>WordPiece</c> model. Defaults are those of uncased BERT models
/// (all-MiniLM-L6-v2, bge-small-en, e5-small).
/// </summary>
public sealed class BertTokenizerOptions
{
    /// <summary>Lower-case the text. Default true.</summary>
    public bool Lowercase { get; set; } = true;

    /// <summary>Strip accents (NFD, then drop non-spacing marks). Default null: strip when <see cref="Lowercase"/> is on, as BERT does.</summary>
    public bool? StripAccents { get; set; }

    /// <summary>Put spaces around CJK ideographs so each becomes a word. Default true.</summary>
    public bool HandleChineseChars { get; set; } = true;

    /// <summary>Drop control characters, NUL and U+FFFD and turn every whitespace character into a space. Default true.</summary>
    public bool CleanText { get; set; } = true;

    /// <summary>Words longer than this many code points become <see cref="UnknownToken"/>. Default 100.</summary>
    public int MaxInputCharsPerWord { get; set; } = 100;

    /// <summary>Prefix of word pieces that continue a word. Default <c>##</c>.</summary>
    public string ContinuingSubwordPrefix { get; set; } = "##";

    /// <summary>Default <c>[UNK]</c>.</summary>
    public string UnknownToken { get; set; } = "[UNK]";

    /// <summary>Token that starts every sequence. Default <c>[CLS]</c>.</summary>
    public string ClassifierToken { get; set; } = "[CLS]";

    /// <summary>Token that ends every sequence. Default <c>[SEP]</c>.</summary>
    public string SeparatorToken { get; set; } = "[SEP]";

    /// <summary>Token that pads batches. Default <c>[PAD]</c>.</summary>
    public string PaddingToken { get; set; } = "[PAD]";

    internal bool ShouldStripAccents => StripAccents ?? Lowercase;

    internal BertTokenizerOptions Validated(string source)
    {
        if (MaxInputCharsPerWord < 1)
        {
            throw new ArgumentException($"MaxInputCharsPerWord must be at least 1, got {MaxInputCharsPerWord} ({source}).");
        }

        foreach (var (name, value) in new[] { (nameof(UnknownToken), UnknownToken), (nameof(ClassifierToken), ClassifierToken), (nameof(SeparatorToken), SeparatorToken), (nameof(PaddingToken), PaddingToken) })
        {
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException($"{name} must not be empty ({source}).");
            }
        }

        ArgumentNullException.ThrowIfNull(ContinuingSubwordPrefix);
        return this;
    }
}
