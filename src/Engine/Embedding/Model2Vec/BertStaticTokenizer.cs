using MossGrains.Engine.Embedding.StaticVectors;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Embedding.Model2Vec;

/// <summary>
/// Feeds a static model the word pieces of the engine's BERT <see cref="BertTokenizer"/> (the same ids
/// as Hugging Face's tokenizer.json pipeline), without special tokens and without the unknown token, which
/// Model2Vec pooling skips. The text's first <see cref="MaxTokens"/> pieces are produced in one call.
/// </summary>
public sealed class BertStaticTokenizer : IStaticTokenizer
{
    [ThreadStatic]
    private static List<int>? t_pieces;

    public BertStaticTokenizer(BertTokenizer tokenizer, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        Inner = tokenizer;
        MaxTokens = maxTokens;
    }

    public BertTokenizer Inner { get; }

    public int MaxTokens { get; }

    /// <summary>Ids of the vocabulary are below this bound.</summary>
    public int IdLimit => Inner.Vocabulary.IdLimit;

    public int MinimumBuffer => MaxTokens;

    public int Tokenize(ReadOnlySpan<char> text, ref int position, Span<int> ids)
    {
        var pieces = t_pieces ??= new List<int>(MaxTokens);
        pieces.Clear();
        Inner.Encode(text[position..], pieces, MaxTokens, addSpecialTokens: false);
        int written = 0;
        foreach (int id in pieces)
        {
            if (id != Inner.UnknownTokenId)
            {
                ids[written++] = id;
            }
        }

        position = text.Length;
        return written;
    }
}
