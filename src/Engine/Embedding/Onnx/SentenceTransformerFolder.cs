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

    private SentenceTransformerFolder(string directory, string? modelFile)
    {
        Directory = directory;
        ModelFile = FindModelFile(directory, modelFile);
        Tokenizer = BertTokenizerLoader.FromDirectory(directory);
        using var config = ReadJson(Path.Combine(directory, "config.json"), required: false);
        HiddenSize = config is not null && config.RootElement.TryGetProperty("hidden_size", out var hidden) ? hidden.GetInt32() : null;
        MaxSequenceLength = ReadMaxSequenceLength(directory, config);
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

        try
        {
            return new SentenceTransformerFolder(full, modelFile);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"A configuration file in '{full}' has an unexpected shape: {e.Message} {Fix}", e);
        }
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

    private static int ReadMaxSequenceLength(string directory, JsonDocument? config)
    {
        using var sbert = ReadJson(Path.Combine(directory, "sentence_bert_config.json"), required: false);
        if (sbert is not null && sbert.RootElement.TryGetProperty("max_seq_length", out var max) && max.ValueKind == JsonValueKind.Number)
        {
            return max.GetInt32();
        }

        using var tokenizerConfig = ReadJson(Path.Combine(directory, "tokenizer_config.json"), required: false);
        if (tokenizerConfig is not null && tokenizerConfig.RootElement.TryGetProperty("model_max_length", out var modelMax)
            && modelMax.ValueKind == JsonValueKind.Number && modelMax.TryGetInt32(out int tokens) && tokens is > 1 and <= 8192)
        {
            return tokens;
        }

        return config is not null && config.RootElement.TryGetProperty("max_position_embeddings", out var positions) ? positions.GetInt32() : 512;
    }

    private static (PoolingMode Mode, bool Normalize, int? Dimension) ReadModules(string directory)
    {
        var modulesPath = Path.Combine(directory, "modules.json");
        using var modules = ReadJson(modulesPath, required: false);
        if (modules is null)
        {
            return (PoolingMode.Mean, false, null);
        }

        bool normalize = false;
        var mode = PoolingMode.Mean;
        int? dimension = null;
        try
        {
            foreach (var module in modules.RootElement.EnumerateArray())
            {
                var type = module.GetProperty("type").GetString() ?? string.Empty;
                if (type.EndsWith(".Normalize", StringComparison.Ordinal))
                {
                    normalize = true;
                }
                else if (type.EndsWith(".Pooling", StringComparison.Ordinal))
                {
                    var poolingPath = Path.Combine(directory, module.GetProperty("path").GetString() ?? string.Empty, "config.json");
                    (mode, dimension) = ReadPooling(poolingPath);
                }
                else if (!type.EndsWith(".Transformer", StringComparison.Ordinal))
                {
                    throw new NotSupportedException($"'{modulesPath}' has module {type}; the ONNX embedder supports Transformer, Pooling and Normalize.");
                }
            }
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{modulesPath}' is not a valid sentence-transformers modules.json: {e.Message} {Fix}", e);
        }

        return (mode, normalize, dimension);
    }

    private static (PoolingMode Mode, int? Dimension) ReadPooling(string path)
    {
        using var pooling = ReadJson(path, required: false);
        if (pooling is null)
        {
            return (PoolingMode.Mean, null);
        }

        var root = pooling.RootElement;
        bool On(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        int? dimension = root.TryGetProperty("word_embedding_dimension", out var d) ? d.GetInt32() : null;
        if (On("pooling_mode_max_tokens") || On("pooling_mode_mean_sqrt_len_tokens") || On("pooling_mode_weightedmean_tokens") || On("pooling_mode_lasttoken"))
        {
            throw new NotSupportedException($"'{path}' asks for a pooling mode the ONNX embedder does not support (it supports mean and CLS pooling).");
        }

        return (On("pooling_mode_cls_token") ? PoolingMode.ClassifierToken : PoolingMode.Mean, dimension);
    }

    private static (string Query, string Document) ReadPrompts(string directory)
    {
        using var config = ReadJson(Path.Combine(directory, "config_sentence_transformers.json"), required: false);
        if (config is null || !config.RootElement.TryGetProperty("prompts", out var prompts) || prompts.ValueKind != JsonValueKind.Object)
        {
            return (string.Empty, string.Empty);
        }

        string Prompt(params string[] names) =>
            names.Select(n => prompts.TryGetProperty(n, out var p) ? p.GetString() : null).FirstOrDefault(p => p is not null) ?? string.Empty;
        return (Prompt("query"), Prompt("document", "passage"));
    }

    private static JsonDocument? ReadJson(string path, bool required) => ModelJsonFile.Read(path, required, Fix);
}
