using System.Buffers;
using System.Numerics.Tensors;

namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>
/// The embedder core every static model shares (the shipped GloVe/SIF model and Model2Vec models):
/// tokenize to row ids, weighted average of the rows, optional common-component removal, optional
/// L2 normalisation. Thread-safe (all state is read-only); embedding allocates nothing. A text with
/// no in-vocabulary token embeds to the zero vector.
/// </summary>
public sealed class StaticVectorEmbedder : TextEmbedderBase
{
    private const int IdChunk = 256;

    private readonly IStaticTokenizer _tokenizer;
    private readonly VectorRows _vectors;
    private readonly float[] _weights;
    private readonly float[]? _component;
    private readonly bool _normalize;
    private readonly int _maxTokens;

    /// <param name="info">Model id, dimensions and limits reported to callers.</param>
    /// <param name="tokenizer">Maps text to row ids of <paramref name="vectors"/>.</param>
    /// <param name="vectors">One row per token id, <c>info.Dimensions</c> wide.</param>
    /// <param name="weights">Per-row pooling weight (SIF weight, or 1 for a plain mean).</param>
    /// <param name="commonComponent">Unit vector projected out of every sentence vector, or null.</param>
    /// <param name="normalize">Scale outputs to unit length.</param>
    public StaticVectorEmbedder(EmbedderInfo info, IStaticTokenizer tokenizer, VectorRows vectors, float[] weights, float[]? commonComponent, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(weights);
        if (vectors.Dimensions != info.Dimensions || weights.Length != vectors.Count)
        {
            throw new ArgumentException($"{weights.Length} weights and {vectors.Count} rows of {vectors.Dimensions} dimensions do not match a {info.Dimensions}-dimension model.", nameof(weights));
        }

        if (commonComponent is not null && commonComponent.Length != info.Dimensions)
        {
            throw new ArgumentException($"The common component has {commonComponent.Length} dimensions; the model has {info.Dimensions}.", nameof(commonComponent));
        }

        Info = info;
        _tokenizer = tokenizer;
        _vectors = vectors;
        _weights = weights;
        _component = commonComponent;
        _normalize = normalize;
        _maxTokens = info.MaxSequenceLength > 0 ? info.MaxSequenceLength : int.MaxValue;
    }

    public override EmbedderInfo Info { get; }

    /// <summary>The tokenizer in use (exposed for diagnostics and tests).</summary>
    public IStaticTokenizer Tokenizer => _tokenizer;

    /// <summary>Pooling weight of row <paramref name="id"/>.</summary>
    public float GetWeight(int id) => _weights[id];

    public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        int dims = Info.Dimensions;
        if (destination.Length < texts.Length * dims)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; {texts.Length} texts × {dims} dimensions need {texts.Length * dims}.", nameof(destination));
        }

        int idBuffer = Math.Max(IdChunk, _tokenizer.MinimumBuffer);
        int[]? rentedIds = null;
        Span<int> ids = idBuffer <= 512 ? stackalloc int[idBuffer] : (rentedIds = ArrayPool<int>.Shared.Rent(idBuffer));
        try
        {
            for (int t = 0; t < texts.Length; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string text = texts[t] ?? throw new ArgumentNullException(nameof(texts), $"Text {t} is null.");
                EmbedOne(text, ids, destination.Slice(t * dims, dims));
            }
        }
        finally
        {
            if (rentedIds is not null)
            {
                ArrayPool<int>.Shared.Return(rentedIds);
            }
        }
    }

    private void EmbedOne(ReadOnlySpan<char> text, Span<int> ids, Span<float> output)
    {
        Span<float> scratch = stackalloc float[output.Length];
        output.Clear();
        int tokens = 0;
        int position = 0;
        while (position < text.Length && tokens < _maxTokens)
        {
            int count = _tokenizer.Tokenize(text, ref position, ids);
            count = Math.Min(count, _maxTokens - tokens);
            for (int k = 0; k < count; k++)
            {
                int id = ids[k];
                _vectors.AddScaledRow(id, _weights[id], output, scratch);
            }

            tokens += count;
        }

        if (tokens == 0)
        {
            return;
        }

        TensorPrimitives.Divide(output, tokens, output);
        if (_component is not null)
        {
            float projection = TensorPrimitives.Dot(output, _component);
            TensorPrimitives.MultiplyAdd(_component, -projection, output, output);
        }

        if (_normalize)
        {
            float norm = TensorPrimitives.Norm(output);
            if (norm > 0)
            {
                TensorPrimitives.Divide(output, norm, output);
            }
        }
    }
}
