namespace MossGrains.Engine.Tokenization;

/// <summary>
/// Tokenized texts padded to the longest among them (dynamic padding): row-major
/// <c>Count × SequenceLength</c> arrays ready to feed a BERT model's three inputs.
/// </summary>
public sealed class TokenBatch
{
    internal TokenBatch(int count, int sequenceLength, long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int[] lengths)
    {
        Count = count;
        SequenceLength = sequenceLength;
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = tokenTypeIds;
        Lengths = lengths;
    }

    /// <summary>Number of texts (rows).</summary>
    public int Count { get; }

    /// <summary>Tokens per row after padding: the longest text's length.</summary>
    public int SequenceLength { get; }

    /// <summary>Token ids, padded with the padding token id.</summary>
    public long[] InputIds { get; }

    /// <summary>1 for real tokens, 0 for padding.</summary>
    public long[] AttentionMask { get; }

    /// <summary>Segment ids: all 0 for single texts.</summary>
    public long[] TokenTypeIds { get; }

    /// <summary>Real (unpadded) tokens per row, special tokens included.</summary>
    public int[] Lengths { get; }

    /// <summary>Shape of each of the three inputs: <c>[Count, SequenceLength]</c>.</summary>
    public long[] Shape => [Count, SequenceLength];
}
