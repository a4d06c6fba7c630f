namespace MossGrains.Engine.Session;

/// <summary>
/// The default hybrid weight per embedding model, used when neither <see cref="QueryOptions.Alpha"/> nor
/// <see cref="SessionIndexOptions.DefaultAlpha"/> is set. Weak static word-vector models lean on BM25;
/// strong transformer models lean on vectors.
/// </summary>
public static class AlphaDefaults
{
    /// <summary>Alpha used for a model id not listed in <see cref="ByModelPrefix"/>: 0.5.</summary>
    public const float Fallback = 0.5f;

    /// <summary>Model-id prefix → default alpha. The first matching prefix wins.</summary>
    public static IReadOnlyList<KeyValuePair<string, float>> ByModelPrefix { get; } =
    [
        new("moss-glove-", 0.3f),
        new("model2vec-", 0.4f),
        new("onnx-", 0.6f),
        new("custom", 0.5f),
    ];

    public static float For(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        foreach (var (prefix, alpha) in ByModelPrefix)
        {
            if (modelId.StartsWith(prefix, StringComparison.Ordinal))
            {
                return alpha;
            }
        }

        return Fallback;
    }
}
