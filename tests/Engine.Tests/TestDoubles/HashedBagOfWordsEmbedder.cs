using System.Numerics.Tensors;
using MossGrains.Engine.Embedding;

namespace MossGrains.Engine.Tests.TestDoubles;

/// <summary>
/// A deterministic test embedder: each lowercase word is hashed (FNV-1a) to one of 64 dimensions, the
/// counts are L2-normalised. Texts sharing words get similar vectors, so ranking is predictable.
/// It also counts calls, so tests can prove that loading an index never re-embeds.
/// </summary>
internal sealed class HashedBagOfWordsEmbedder : TextEmbedderBase
{
    public const int Dimensions = 64;
    public const float MeasuredAlpha = 0.7f;
    private int _calls;

    public override EmbedderInfo Info { get; } = new("test-hashed-bow-64", Dimensions, 0, 32, true) { DefaultAlpha = MeasuredAlpha };

    public int Calls => Volatile.Read(ref _calls);

    public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        for (int t = 0; t < texts.Length; t++)
        {
            var row = destination.Slice(t * Dimensions, Dimensions);
            row.Clear();
            foreach (var word in texts[t].ToLowerInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            {
                row[(int)(Fnv1a(word) % Dimensions)] += 1;
            }

            float norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }
    }

    private static readonly char[] Separators = [' ', ',', '.', ';', ':', '!', '?', '\n', '\t', '-'];

    private static uint Fnv1a(string word)
    {
        uint hash = 2166136261;
        foreach (char c in word)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}
