using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>
/// Everything an <see cref="OnnxTextEmbedder"/> needs of a sentence-transformers model besides its ONNX graph:
/// the tokenizer, the sequence limit, pooling, normalisation and prompts. Read from a model folder
/// (<see cref="SentenceTransformerFolder"/>) or fixed by a packaged model (<see cref="PackagedSentenceModel"/>).
/// </summary>
public sealed record SentenceModelSettings
{
    /// <summary>Where the settings came from (a folder, a package), named in error messages.</summary>
    public required string Origin { get; init; }

    public required BertTokenizer Tokenizer { get; init; }

    /// <summary>Tokens per text the model reads.</summary>
    public required int MaxSequenceLength { get; init; }

    public PoolingMode Pooling { get; init; } = PoolingMode.Mean;

    /// <summary>True when vectors are scaled to unit length.</summary>
    public bool Normalize { get; init; }

    /// <summary>Text put before queries (e.g. arctic-embed's <c>Represent this sentence…: </c>); empty when none.</summary>
    public string QueryPrompt { get; init; } = string.Empty;

    /// <summary>Text put before documents; empty when none.</summary>
    public string DocumentPrompt { get; init; } = string.Empty;

    /// <summary>The model's hidden size when the settings give it (used when the ONNX output shape leaves it open).</summary>
    public int? HiddenSize { get; init; }

    /// <summary>Hybrid weight (1 = semantic only) a query uses when it sets none. Default 0.5.</summary>
    public float DefaultAlpha { get; init; } = 0.5f;

    /// <summary>Where <see cref="HiddenSize"/> came from, for error messages (e.g. <c>hidden_size in '…/config.json'</c>).</summary>
    public string? HiddenSizeSource { get; init; }
}
