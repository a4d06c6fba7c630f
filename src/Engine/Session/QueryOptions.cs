using MossGrains.Engine.Filtering;

namespace MossGrains.Engine.Session;

/// <summary>Options for <see cref="SessionIndex.QueryAsync"/>.</summary>
public sealed class QueryOptions
{
    /// <summary>Number of documents to return; 1..<see cref="SessionIndexOptions.MaxTopK"/>. Default 5.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>
    /// Weight of semantic against keyword relevance in [0, 1]: 1 = semantic only, 0 = keyword (BM25) only.
    /// Null (the default) uses <see cref="SessionIndex.DefaultAlpha"/>, which is measured per model
    /// (<see cref="Embedding.EmbedderInfo.DefaultAlpha"/>).
    /// </summary>
    public float? Alpha { get; init; }

    /// <summary>
    /// A caller-computed query vector, used instead of embedding the text. Accepted only when
    /// <see cref="SessionIndex.AcceptsCallerEmbeddings"/> is true; required for semantic search in custom mode.
    /// </summary>
#pragma warning disable CA1819 // a plain array is the natural wire shape for an embedding
    public float[]? Embedding { get; init; }
#pragma warning restore CA1819

    /// <summary>Only documents whose metadata match this filter are ranked. Null = no filter. Build with <see cref="Filter.Field"/> or <see cref="Filter.Parse"/>.</summary>
    public Filter? Filter { get; init; }
}
