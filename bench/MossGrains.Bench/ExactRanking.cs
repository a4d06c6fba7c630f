using System.Numerics.Tensors;
using MossGrains.Engine.Embedding;

namespace MossGrains.Bench;

/// <summary>
/// Brute-force ground truth: embeds every text once as a document, then ranks all of them for a query by
/// exact dot product (cosine: the embedders return unit vectors). Ties keep corpus order.
/// </summary>
internal sealed class ExactRanking
{
    private readonly ITextEmbedder _embedder;
    private readonly float[] _vectors;
    private readonly float[] _query;
    private readonly float[] _scores;

    public ExactRanking(ITextEmbedder embedder, IReadOnlyList<string> texts)
        : this(embedder, EmbedAll(embedder, texts))
    {
    }

    /// <summary>Ranks already embedded documents (<paramref name="vectors"/>, row-major).</summary>
    public ExactRanking(ITextEmbedder embedder, float[] vectors)
    {
        _embedder = embedder;
        _vectors = vectors;
        _query = new float[embedder.Info.Dimensions];
        _scores = new float[vectors.Length / embedder.Info.Dimensions];
    }

    public int Dimensions => _query.Length;

    /// <summary>The document vectors, row-major, in text order.</summary>
    public ReadOnlySpan<float> Vectors => _vectors;

    /// <summary>Indices (into the texts given at construction) of the <paramref name="k"/> best matches, best first.</summary>
    public IEnumerable<int> Top(string query, int k)
    {
        int dims = _query.Length;
        _embedder.Embed([query], _query, EmbeddingPurpose.Query);
        for (int i = 0; i < _scores.Length; i++)
        {
            _scores[i] = TensorPrimitives.Dot(_query, _vectors.AsSpan(i * dims, dims));
        }

        return Enumerable.Range(0, _scores.Length).OrderByDescending(i => _scores[i]).Take(k).ToArray();
    }

    private static float[] EmbedAll(ITextEmbedder embedder, IReadOnlyList<string> texts)
    {
        var vectors = new float[texts.Count * embedder.Info.Dimensions];
        embedder.Embed([.. texts], vectors, EmbeddingPurpose.Document);
        return vectors;
    }
}
