using MossGrains.Engine.Embedding.Onnx;

namespace MossGrains.Engine.Embedding;

/// <summary>Where the catalog's embedders find files that do not ship in a package, and how ONNX models run.</summary>
public sealed class EmbedderOptions
{
    /// <summary>Environment variable read when <see cref="ModelDirectory"/> is not set.</summary>
    public const string ModelDirectoryVariable = "MOSS_MODELS_DIR";

    /// <summary>
    /// Folder of the optional models built at set-up: the converted GloVe vectors
    /// (<c>wink-glove-100d.mossvec</c>) and the int8 MiniLM (<c>moss-minilm-int8.onnx</c>). Default null: env
    /// <c>MOSS_MODELS_DIR</c>. The default model (<c>moss-minilm</c>) needs neither: it comes from its NuGet package.
    /// eng/setup.sh writes these files to <c>.native/models</c> of a checkout.
    /// </summary>
    public string? ModelDirectory { get; set; }

    /// <summary>How ONNX models (<c>moss-minilm</c>, <c>moss-arctic-xs</c>, <c>onnx:…</c>) run. Default: one thread per query.</summary>
    public OnnxEmbedderOptions Onnx { get; set; } = new();

    internal string ResolveModelDirectory(string modelId) =>
        ModelDirectory is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable(ModelDirectoryVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : throw new InvalidOperationException(
            $"Model '{modelId}' is built at set-up and no folder of such models is configured. " +
            $"Fix: set {nameof(EmbedderOptions)}.{nameof(ModelDirectory)} or env {ModelDirectoryVariable} to the folder eng/setup.sh wrote (.native/models of a checkout).");
}
