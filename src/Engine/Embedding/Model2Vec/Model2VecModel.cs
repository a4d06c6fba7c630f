using System.Text.Json;
using MossGrains.Engine.Embedding.StaticVectors;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Embedding.Model2Vec;

/// <summary>
/// Loads a Model2Vec static model folder — <c>model.safetensors</c> (tensor <c>embeddings</c>, or <c>0</c>,
/// shaped [vocabulary, dimensions], F32/F16/BF16/I8; optional per-token <c>weights</c> and vocabulary-quantisation
/// <c>mapping</c>), <c>tokenizer.json</c> (WordPiece) and optional <c>config.json</c> (<c>normalize</c>,
/// default true) — into the same <see cref="StaticVectorEmbedder"/> core as the shipped model: mean of the
/// token vectors (unknown tokens skipped), L2-normalised when configured, first 512 tokens.
/// Model id: <c>model2vec:&lt;directory&gt;</c>.
/// </summary>
public static class Model2VecModel
{
    /// <summary>Catalog scheme: <c>model2vec:&lt;directory&gt;</c>.</summary>
    public const string Scheme = "model2vec";

    /// <summary>Tokens read per text, as Model2Vec's default <c>max_length</c>.</summary>
    public const int MaxTokens = 512;

    /// <summary>Loads the folder <paramref name="directory"/>; its id is <paramref name="modelId"/>, by default <c>model2vec:&lt;directory&gt;</c>.</summary>
    public static StaticVectorEmbedder Load(string directory, string? modelId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string modelPath = Path.Combine(directory, "model.safetensors");
        string tokenizerPath = Path.Combine(directory, "tokenizer.json");
        foreach (var required in new[] { modelPath, tokenizerPath })
        {
            if (!File.Exists(required))
            {
                throw new FileNotFoundException($"Model2Vec folder '{directory}' lacks {Path.GetFileName(required)}.", required);
            }
        }

        var tensors = SafeTensorsFile.Read(modelPath);
        string name = tensors.Contains("embeddings") ? "embeddings" : tensors.Contains("0") ? "0"
            : throw new InvalidDataException($"'{modelPath}' has no 'embeddings' tensor (it has: {string.Join(", ", tensors.TensorNames)}).");
        var shape = tensors.GetShape(name);
        if (shape.Count != 2 || shape[0] <= 0 || shape[1] <= 0)
        {
            throw new InvalidDataException($"'{modelPath}' tensor '{name}' has shape [{string.Join(", ", shape)}]; expected [vocabulary, dimensions].");
        }

        int rows = checked((int)shape[0]);
        int dimensions = checked((int)shape[1]);
        var tokenizer = new BertStaticTokenizer(BertTokenizerLoader.FromTokenizerJson(tokenizerPath), MaxTokens);
        var embeddings = tensors.ReadSingles(name);
        var (vectors, weights) = ExpandPerToken(tensors, embeddings, rows, dimensions, tokenizer.IdLimit, modelPath);

        bool normalize = ReadNormalizeFlag(Path.Combine(directory, "config.json"));
        var info = new EmbedderInfo(modelId ?? $"{Scheme}:{directory}", dimensions, MaxTokens, MaxBatchSize: 256, normalize);
        return new StaticVectorEmbedder(info, tokenizer, new VectorRows(vectors, dimensions), weights, commonComponent: null, normalize);
    }

    /// <summary>
    /// Returns one vector row and one pooling weight per token id: the optional <c>mapping</c> tensor maps a
    /// token to its (shared) embedding row, the optional <c>weights</c> tensor scales each token.
    /// </summary>
    private static (float[] Vectors, float[] Weights) ExpandPerToken(SafeTensorsFile tensors, float[] embeddings, int rows, int dimensions, int vocabularySize, string path)
    {
        long[]? mapping = tensors.Contains("mapping") ? tensors.ReadIntegers("mapping") : null;
        int tokens = mapping?.Length ?? rows;
        if (tokens < vocabularySize)
        {
            throw new InvalidDataException($"'{path}' has {tokens} token rows but the tokenizer has {vocabularySize} ids.");
        }

        var weights = tensors.Contains("weights") ? tensors.ReadSingles("weights") : Enumerable.Repeat(1f, tokens).ToArray();
        if (weights.Length != tokens)
        {
            throw new InvalidDataException($"'{path}' has {weights.Length} weights for {tokens} tokens.");
        }

        if (mapping is null)
        {
            return (embeddings, weights);
        }

        var vectors = new float[(long)tokens * dimensions];
        for (int token = 0; token < tokens; token++)
        {
            long row = mapping[token];
            if (row < 0 || row >= rows)
            {
                throw new InvalidDataException($"'{path}' maps token {token} to row {row}, outside [0, {rows}).");
            }

            embeddings.AsSpan((int)row * dimensions, dimensions).CopyTo(vectors.AsSpan(token * dimensions, dimensions));
        }

        return (vectors, weights);
    }

    private static bool ReadNormalizeFlag(string configPath)
    {
        using var json = ModelJsonFile.Read(configPath, required: false, "Fix: copy config.json from the Model2Vec model again, or delete it to normalise by default.");
        return json is null || !json.RootElement.TryGetProperty("normalize", out var flag) || flag.ValueKind != JsonValueKind.False;
    }
}
