using System.Numerics;

namespace MossGrains.Engine.Storage;

/// <summary>An immutable set of slot numbers; <see cref="With"/> returns a changed copy (one block copy, no per-element work).</summary>
internal sealed class BitSet
{
    public static readonly BitSet Empty = new([]);

    private readonly ulong[] _words;

    private BitSet(ulong[] words) => _words = words;

    public bool Contains(int index)
    {
        int word = index >> 6;
        return (uint)word < (uint)_words.Length && (_words[word] & (1UL << index)) != 0;
    }

    public int Count
    {
        get
        {
            int count = 0;
            foreach (ulong w in _words)
            {
                count += BitOperations.PopCount(w);
            }

            return count;
        }
    }

    internal ReadOnlySpan<ulong> Words => _words;

    public BitSet With(IReadOnlyCollection<int> indexes)
    {
        if (indexes.Count == 0)
        {
            return this;
        }

        int max = indexes.Max();
        var words = new ulong[Math.Max(_words.Length, (max >> 6) + 1)];
        _words.CopyTo(words, 0);
        foreach (int i in indexes)
        {
            words[i >> 6] |= 1UL << i;
        }

        return new BitSet(words);
    }

    internal static BitSet FromWords(ulong[] words) => new(words);
}
