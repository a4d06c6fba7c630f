using System.Text.Json;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>How token vectors become one text vector (sentence-transformers' Pooling module).</summary>
public enum PoolingMode
{
    /// <summary>Average of the token vectors under the attention mask.</summary>
    Mean,

    /// <summary>The first token's (<c>[CLS]</c>) vector.</summary>
    ClassifierToken,
}

/// <summary>
/// A model folder in the Hugging Face sentence-transformers layout: <c>onnx/model.onnx</c> or
/// <c>model.onnx</c>, <c>tokenizer.json</c> or <c>vocab.txt</c>, <c>config.json</c>,
/// <c>sentence_bert_config.json</c>, <c>modules.json</c> (+ the Pooling module's config) and
/// optionally <c>config_sentence_transformers.json</c> (query/document prompts).
/// </summary>
public sealed class SentenceTransformerFolder
{
    private const string Fix = "Fix: copy the complete model folder (see docs/onnx.md).";
    private const string ValueFix = "Fix: correct that value, or copy the file again from the model's repository (see docs/onnx.md).";

    private SentenceTransformerFolder(string directory, string? modelFile)
    {
        Directory = directory;
        ModelFile = FindModelFile(directory, modelFile);
        Tokenizer = BertTokenizerLoader.FromDirectory(directory);
        (HiddenSize, int? maxPositions) = ReadFile(Path.Combine(directory, "config.json"), (null, null), static (root, path) =>
            (OptionalInt(root, "hidden_size", path, minimum: 1), OptionalInt(root, "max_position_embeddings", path, minimum: 2)));
        MaxSequenceLength = ReadMaxSequenceLength(directory) ?? maxPositions ?? 512;
        (Pooling, Normalize, PoolingDimension) = ReadModules(directory);
        (QueryPrompt, DocumentPrompt) = ReadPrompts(directory);
    }

    public string Directory { get; }

    /// <summary>The .onnx file.</summary>
    public string ModelFile { get; }

    public BertTokenizer Tokenizer { get; }

    /// <summary>config.json <c>hidden_size</c>, when given.</summary>
    public int? HiddenSize { get; }

    /// <summary>Tokens per text (sentence_bert_config.json, else tokenizer_config.json, else 512).</summary>
    public int MaxSequenceLength { get; }

    public PoolingMode Pooling { get; }

    /// <summary>The Pooling module's <c>word_embedding_dimension</c>, when given.</summary>
    public int? PoolingDimension { get; }

    /// <summary>True when modules.json ends with a Normalize module (unit-length vectors).</summary>
    public bool Normalize { get; }

    /// <summary>Text put before queries (e.g. e5's <c>query: </c>); empty when none.</summary>
    public string QueryPrompt { get; }

    /// <summary>Text put before documents (e.g. e5's <c>passage: </c>); empty when none.</summary>
    public string DocumentPrompt { get; }

    /// <summary>What the embedder needs of this folder besides its ONNX graph.</summary>
    public SentenceModelSettings Settings => new()
    {
        Origin = $"'{Directory}'",
        Tokenizer = Tokenizer,
        MaxSequenceLength = MaxSequenceLength,
        Pooling = Pooling,
        Normalize = Normalize,
        QueryPrompt = QueryPrompt,
        DocumentPrompt = DocumentPrompt,
        HiddenSize = HiddenSize ?? PoolingDimension,
        HiddenSizeSource = HiddenSize is not null
            ? $"hidden_size in '{Path.Combine(Directory, "config.json")}'"
            : $"word_embedding_dimension in the Pooling module's config.json under '{Directory}'",
    };

    /// <summary>
    /// Reads <paramref name="directory"/>, running <paramref name="modelFile"/> (relative to it) or
    /// the default model file; errors name the file at fault and the fix.
    /// </summary>
    public static SentenceTransformerFolder Open(string directory, string? modelFile = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"ONNX model folder '{full}' does not exist. {Fix}");
        }

        return new SentenceTransformerFolder(full, modelFile);
    }

    private static string FindModelFile(string directory, string? modelFile)
    {
        string[] candidates = modelFile is { Length: > 0 }
            ? [Path.GetFullPath(Path.Combine(directory, modelFile))]
            : [Path.Combine(directory, "onnx", "model.onnx"), Path.Combine(directory, "model.onnx")];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"No ONNX model in '{directory}': tried {string.Join(" and ", candidates)}. Fix: download the model's onnx/model.onnx export into that folder (see docs/onnx.md).",
                candidates[0]);
    }

    private static int? ReadMaxSequenceLength(string directory)
    {
        int? configured = ReadFile(Path.Combine(directory, "sentence_bert_config.json"), null, static (root, path) => OptionalInt(root, "max_seq_length", path, minimum: 2));
        return configured ?? ReadFile(Path.Combine(directory, "tokenizer_config.json"), null, static (root, _) =>
            root.TryGetProperty("model_max_length", out var modelMax) && modelMax.ValueKind == JsonValueKind.Number
            && modelMax.TryGetInt32(out int tokens) && tokens is > 1 and <= 8192 ? tokens : (int?)null);
    }

    private static (PoolingMode Mode, bool Normalize, int? Dimension) ReadModules(string directory)
    {
        var modulesPath = Path.Combine(directory, "modules.json");
        string? poolingPath = null;
        bool normalize = false;
        bool present = ReadFile(modulesPath, false, (root, path) =>
        {
            foreach (var module in root.EnumerateArray())
            {
                var type = module.GetProperty("type").GetString() ?? string.Empty;
                if (type.EndsWith(".Normalize", StringComparison.Ordinal))
                {
                    normalize = true;
                }
                else if (type.EndsWith(".Pooling", StringComparison.Ordinal))
                {
                    poolingPath = Path.Combine(directory, module.GetProperty("path").GetString() ?? string.Empty, "config.json");
                }
                else if (!type.EndsWith(".Transformer", StringComparison.Ordinal))
                {
                    throw new NotSupportedException(
                        $"'{path}' has module {type}; the ONNX embedder supports Transformer, Pooling and Normalize. " +
                        "Fix: use a model whose modules.json lists only those (a Dense or other module would change the vectors), see docs/onnx.md.");
                }
            }

            return true;
        });
        if (!present)
        {
            return (PoolingMode.Mean, false, null);
        }

        var (mode, dimension) = poolingPath is null ? (PoolingMode.Mean, null) : ReadPooling(poolingPath);
        return (mode, normalize, dimension);
    }

    private static (PoolingMode Mode, int? Dimension) ReadPooling(string path) =>
        ReadFile(path, (PoolingMode.Mean, null), static (root, file) =>
        {
            bool On(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
            int? dimension = OptionalInt(root, "word_embedding_dimension", file, minimum: 1);
            if (On("pooling_mode_max_tokens") || On("pooling_mode_mean_sqrt_len_tokens") || On("pooling_mode_weightedmean_tokens") || On("pooling_mode_lasttoken"))
            {
                throw new NotSupportedException(
                    $"'{file}' asks for a pooling mode the ONNX embedder does not support (it supports mean and CLS pooling). " +
                    "Fix: use a model trained with mean or CLS pooling (pooling_mode_mean_tokens or pooling_mode_cls_token), see docs/onnx.md.");
            }

            return (On("pooling_mode_cls_token") ? PoolingMode.ClassifierToken : PoolingMode.Mean, dimension);
        });

    private static (string Query, string Document) ReadPrompts(string directory) =>
        ReadFile(Path.Combine(directory, "config_sentence_transformers.json"), (string.Empty, string.Empty), static (root, _) =>
        {
            if (!root.TryGetProperty("prompts", out var prompts) || prompts.ValueKind != JsonValueKind.Object)
            {
                return (string.Empty, string.Empty);
            }

            string Prompt(params string[] names) =>
                names.Select(n => prompts.TryGetProperty(n, out var p) ? p.GetString() : null).FirstOrDefault(p => p is not null) ?? string.Empty;
            return (Prompt("query"), Prompt("document", "passage"));
        });

    /// <summary>
    /// Reads the optional JSON file <paramref name="path"/> with <paramref name="read"/>(root, path), or returns
    /// <paramref name="absent"/> when there is no such file. A value of the wrong kind in it is refused naming this file and the fix.
    /// </summary>
    private static T ReadFile<T>(string path, T absent, Func<JsonElement, string, T> read)
    {
        using var document = ModelJsonFile.Read(path, required: false, Fix);
        if (document is null)
        {
            return absent;
        }

        try
        {
            return read(document.RootElement, path);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"'{path}' has an unexpected shape: {e.Message} {ValueFix}", e);
        }
    }

    private static int? OptionalInt(JsonElement root, string name, string path, int minimum)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out int value) || value < minimum)
        {
            throw new InvalidDataException($"'{path}': \"{name}\" must be a whole number of at least {minimum}, got {element.GetRawText()}. {ValueFix}");
        }

        return value;
    }
}
