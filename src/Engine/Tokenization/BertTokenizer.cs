namespace MossGrains.Engine.Tokenization;

/// <summary>
/// BERT's tokenizer: added-token splitting, <see cref="BertNormalizer"/>, whitespace and
/// punctuation pre-tokenisation, greedy longest-match WordPiece, <c>[CLS] … [SEP]</c>. Produces the
/// same ids as Hugging Face's tokenizer.json pipeline (checked token for token against
/// transformers.js). Thread-safe and allocation-free per call apart from the caller's id list.
/// Load with <see cref="BertTokenizerLoader"/>.
/// <para>
/// Why our own and not <c>Microsoft.ML.Tokenizers</c>' <c>BertTokenizer</c> (2.0.1): measured against 600
/// strings tokenized by Hugging Face's reference it matched 70 (122 with ICU on). It deletes symbols
/// (<c>$ + = € ™</c>, emoji) instead of emitting <c>[UNK]</c>, deletes tabs and newlines so that words merge,
/// keeps accents under invariant globalization and keeps <c>_</c> inside words (dotnet/machinelearning
/// #7724, #7725). This one matched 600/600 and is a little faster (../shared/DEPENDENCIES.md).
/// </para>
/// </summary>
public sealed class BertTokenizer
{
    private readonly BertNormalizer _normalizer;
    private readonly AddedTokenSplitter _addedTokens;
    private readonly string _prefix;
    private readonly int _maxCharsPerWord;

    public BertTokenizer(WordPieceVocabulary vocabulary, BertTokenizerOptions? options = null, IEnumerable<AddedToken>? addedTokens = null, string source = "(in memory)")
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Options = (options ?? new BertTokenizerOptions()).Validated(source);
        Vocabulary = vocabulary;
        Source = source;
        AddedTokens = (addedTokens ?? []).ToArray();
        _normalizer = new BertNormalizer(Options);
        _addedTokens = new AddedTokenSplitter(AddedTokens);
        _prefix = Options.ContinuingSubwordPrefix;
        _maxCharsPerWord = Options.MaxInputCharsPerWord;
        UnknownTokenId = RequireId(Options.UnknownToken, nameof(Options.UnknownToken));
        ClassifierTokenId = RequireId(Options.ClassifierToken, nameof(Options.ClassifierToken));
        SeparatorTokenId = RequireId(Options.SeparatorToken, nameof(Options.SeparatorToken));
        PaddingTokenId = RequireId(Options.PaddingToken, nameof(Options.PaddingToken));
    }

    public BertTokenizerOptions Options { get; }

    public WordPieceVocabulary Vocabulary { get; }

    /// <summary>Tokens matched verbatim before normalisation.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Where the tokenizer was loaded from (for error messages).</summary>
    public string Source { get; }

    public int UnknownTokenId { get; }

    public int ClassifierTokenId { get; }

    public int SeparatorTokenId { get; }

    public int PaddingTokenId { get; }

    /// <summary>
    /// Token ids of <paramref name="text"/>: <c>[CLS]</c>, its word pieces, <c>[SEP]</c>. With
    /// <paramref name="maxLength"/> &gt; 0 the word pieces are cut so the whole fits, <c>[SEP]</c> kept.
    /// </summary>
    public int[] Encode(string text, int maxLength = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text, ids, maxLength);
        return ids.ToArray();
    }

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="destination"/>; see <see cref="Encode(string, int)"/>.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> destination, int maxLength = 0, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int specials = addSpecialTokens ? 2 : 0;
        if (maxLength < 0 || (maxLength > 0 && maxLength < specials))
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"maxLength must be 0 (no limit) or at least {specials}.");
        }

        int start = destination.Count;
        if (addSpecialTokens)
        {
            destination.Add(ClassifierTokenId);
        }

        int limit = maxLength == 0 ? int.MaxValue : start + maxLength - specials + (addSpecialTokens ? 1 : 0);
        EncodeContent(text, destination, limit);
        if (destination.Count > limit)
        {
            destination.RemoveRange(limit, destination.Count - limit);
        }

        if (addSpecialTokens)
        {
            destination.Add(SeparatorTokenId);
        }
    }

    /// <summary>
    /// Tokenizes <paramref name="texts"/> (each with special tokens, cut to <paramref name="maxLength"/>
    /// when &gt; 0) and pads them to the longest: the inputs of one model run.
    /// </summary>
    public TokenBatch EncodeBatch(ReadOnlySpan<string> texts, int maxLength = 0)
    {
        var rows = new int[texts.Length][];
        for (int i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
            {
                throw new ArgumentNullException(nameof(texts), $"texts[{i}] is null.");
            }

            rows[i] = Encode(texts[i], maxLength);
        }

        return PadBatch(rows);
    }

    /// <summary>
    /// Pads already encoded texts (<see cref="Encode(string, int)"/>) to the longest among them with
    /// <see cref="PaddingTokenId"/> on the right: the inputs of one model run.
    /// </summary>
    public TokenBatch PadBatch(IReadOnlyList<int[]> encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        int count = encoded.Count;
        var lengths = new int[count];
        int longest = 0;
        for (int row = 0; row < count; row++)
        {
            lengths[row] = encoded[row].Length;
            longest = Math.Max(longest, lengths[row]);
        }

        var inputIds = new long[count * longest];
        var mask = new long[count * longest];
        var types = new long[count * longest];
        for (int row = 0; row < count; row++)
        {
            var rowIds = inputIds.AsSpan(row * longest, longest);
            var source = encoded[row];
            for (int j = 0; j < source.Length; j++)
            {
                rowIds[j] = source[j];
            }

            rowIds[source.Length..].Fill(PaddingTokenId);
            mask.AsSpan(row * longest, source.Length).Fill(1);
        }

        return new TokenBatch(count, longest, inputIds, mask, types, lengths);
    }

    /// <summary>The word-piece strings of <paramref name="text"/>, without special tokens (for inspection).</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        Encode(text, ids, addSpecialTokens: false);
        return ids.Select(id => Vocabulary.GetToken(id) ?? Options.UnknownToken).ToArray();
    }

    private void EncodeContent(ReadOnlySpan<char> text, List<int> ids, int limit)
    {
        var scratch = new CharBuffer(text.Length * 3);
        var normalized = new CharBuffer(text.Length * 3);
        var piece = new CharBuffer(64);
        try
        {
            if (_addedTokens.IsEmpty)
            {
                EncodeSection(text, ids, limit, ref scratch, ref normalized, ref piece);
                return;
            }

            int sectionStart = 0;
            bool trimNextStart = false;
            for (int i = 0; i < text.Length && ids.Count < limit;)
            {
                var token = _addedTokens.MatchAt(text, i);
                if (token is null)
                {
                    i++;
                    continue;
                }

                var section = text[sectionStart..i];
                if (trimNextStart)
                {
                    section = TrimStart(section);
                }

                if (token.LeftStrip)
                {
                    section = TrimEnd(section);
                }

                EncodeSection(section, ids, limit, ref scratch, ref normalized, ref piece);
                ids.Add(token.Id);
                trimNextStart = token.RightStrip;
                i += token.Content.Length;
                sectionStart = i;
            }

            var rest = text[Math.Min(sectionStart, text.Length)..];
            EncodeSection(trimNextStart ? TrimStart(rest) : rest, ids, limit, ref scratch, ref normalized, ref piece);
        }
        finally
        {
            scratch.Dispose();
            normalized.Dispose();
            piece.Dispose();
        }
    }

    private void EncodeSection(ReadOnlySpan<char> section, List<int> ids, int limit, ref CharBuffer scratch, ref CharBuffer normalized, ref CharBuffer piece)
    {
        if (section.IsEmpty || ids.Count >= limit)
        {
            return;
        }

        _normalizer.Normalize(section, ref scratch, ref normalized);
        var text = normalized.Span;
        int i = 0;
        while (i < text.Length && ids.Count < limit)
        {
            int cp = CodePoints.At(text, i, out int width);
            if (UnicodeTables.IsWhitespace(cp))
            {
                i += width;
                continue;
            }

            if (IsBertPunctuation(cp))
            {
                WordPiece(text.Slice(i, width), ids, ref piece);
                i += width;
                continue;
            }

            int start = i;
            i += width;
            while (i < text.Length)
            {
                int next = CodePoints.At(text, i, out int w);
                if (UnicodeTables.IsWhitespace(next) || IsBertPunctuation(next))
                {
                    break;
                }

                i += w;
            }

            WordPiece(text[start..i], ids, ref piece);
        }
    }

    /// <summary>Greedy longest-match-first WordPiece; a word with any unmatched remainder becomes one unknown token.</summary>
    private void WordPiece(ReadOnlySpan<char> word, List<int> ids, ref CharBuffer piece)
    {
        if (word.Length > _maxCharsPerWord && CodePoints.Count(word) > _maxCharsPerWord)
        {
            ids.Add(UnknownTokenId);
            return;
        }

        int mark = ids.Count;
        int start = 0;
        while (start < word.Length)
        {
            int end = word.Length;
            int id = -1;
            while (start < end)
            {
                bool found;
                if (start == 0)
                {
                    found = Vocabulary.TryGetId(word[..end], out id);
                }
                else
                {
                    piece.Clear();
                    piece.Append(_prefix);
                    piece.Append(word[start..end]);
                    found = Vocabulary.TryGetId(piece.Span, out id);
                }

                if (found)
                {
                    break;
                }

                CodePoints.Before(word, end, out int width);
                end -= width;
            }

            if (start == end)
            {
                ids.RemoveRange(mark, ids.Count - mark);
                ids.Add(UnknownTokenId);
                return;
            }

            ids.Add(id);
            start = end;
        }
    }

    /// <summary>BERT's punctuation: every ASCII non-alphanumeric symbol plus Unicode category P.</summary>
    private static bool IsBertPunctuation(int cp) =>
        cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)
        || (cp >= 0x80 && UnicodeTables.IsUnicodePunctuation(cp));

    private static ReadOnlySpan<char> TrimStart(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length && UnicodeTables.IsWhitespace(text[i]))
        {
            i++;
        }

        return text[i..];
    }

    private static ReadOnlySpan<char> TrimEnd(ReadOnlySpan<char> text)
    {
        int end = text.Length;
        while (end > 0 && UnicodeTables.IsWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }

    private int RequireId(string token, string field) =>
        Vocabulary.TryGetId(token, out int id)
            ? id
            : throw new InvalidDataException($"The vocabulary of '{Source}' has no {field} '{token}'. Fix: use the tokenizer files that came with the model, or set {field} to a token the vocabulary has.");
}
