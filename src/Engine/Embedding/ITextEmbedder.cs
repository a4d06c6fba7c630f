using Microsoft.Extensions.AI;

namespace MossGrains.Engine.Embedding;

/// <summary>Whether a text is a search query or a document being indexed; some models embed the two differently.</summary>
public enum EmbeddingPurpose
{
    Document,
    Query,
}

/// <summary>What an embedder produces and accepts. Stored in index binaries so a load can check it matches.</summary>
/// <param name="ModelId">Stable id, e.g. <c>moss-glove-100d-sif@1</c>; index binaries record it.</param>
/// <param name="Dimensions">Length of every vector this model produces.</param>
/// <param name="MaxSequenceLength">Tokens per text the model reads before truncating (0 = unbounded).</param>
/// <param name="MaxBatchSize">Texts one <see cref="ITextEmbedder.Embed"/> call handles efficiently.</param>
/// <param name="Normalized">True when every output vector has unit L2 norm.</param>
public sealed record EmbedderInfo(string ModelId, int Dimensions, int MaxSequenceLength, int MaxBatchSize, bool Normalized)
{
    /// <summary>
    /// Hybrid weight a query uses when it sets no Alpha (1 = semantic only, 0 = keyword only),
    /// measured per model on BEIR SciFact (see docs/embedders.md). Default 0.5.
    /// </summary>
    public float DefaultAlpha { get; init; } = 0.5f;

    /// <summary>
    /// True when the model does not embed text: documents and queries must carry caller-supplied
    /// vectors (model <c>custom</c>); <see cref="ITextEmbedder.Embed"/> then throws.
    /// </summary>
    public bool RequiresCallerVectors { get; init; }
}

/// <summary>
/// A local model that turns text into fixed-length vectors: the shipped static word vectors,
/// Model2Vec models and ONNX transformer models all implement it. It is also a
/// Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>, so it plugs
/// into anything that speaks that abstraction.
/// </summary>
public interface ITextEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    EmbedderInfo Info { get; }

    /// <summary>
    /// Embeds <paramref name="texts"/> into <paramref name="destination"/>, row-major
    /// (<c>texts.Length × Info.Dimensions</c> floats). Synchronous because it is the hot path of
    /// a query; implementations are thread-safe.
    /// </summary>
    void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default);
}
