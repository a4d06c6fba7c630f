namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>
/// Resolves ONNX model ids. <c>onnx:&lt;path&gt;</c> with an absolute path names the folder
/// itself; <c>onnx:&lt;name&gt;</c> is the folder <c>&lt;name&gt;</c> under, in order,
/// <see cref="OnnxEmbedderOptions.ModelsDirectory"/> and env <c>MOSS_ONNX_MODELS_DIR</c>. Nothing else is
/// searched: an application has no repository checkout around it.
/// </summary>
public static class OnnxModelLocator
{
    /// <summary>The model-id scheme of ONNX models (<c>onnx:&lt;folder&gt;</c>).</summary>
    public const string Scheme = "onnx";

    /// <summary>Prefix of ONNX model ids.</summary>
    public const string Prefix = Scheme + ":";

    /// <summary>True when <paramref name="modelId"/> names an ONNX model.</summary>
    public static bool IsOnnxModelId(string? modelId) => modelId is not null && modelId.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The model id of a folder: <c>onnx:</c> plus its name.</summary>
    public static string ModelIdOf(string directory) => Prefix + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));

    /// <summary>The folder <paramref name="modelId"/> names; throws naming every folder searched and the fix.</summary>
    public static string Resolve(string modelId, OnnxEmbedderOptions? options = null) =>
        Resolve(modelId, options, Environment.GetEnvironmentVariable);

    internal static string Resolve(string modelId, OnnxEmbedderOptions? options, Func<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        if (!IsOnnxModelId(modelId))
        {
            throw new ArgumentException($"Model id '{modelId}' is not an ONNX model id (onnx:<folder name or absolute path>).", nameof(modelId));
        }

        var name = modelId[Prefix.Length..];
        if (name.Length == 0)
        {
            throw new ArgumentException("Model id 'onnx:' names no model: use onnx:<folder name or absolute path>.", nameof(modelId));
        }

        if (Path.IsPathRooted(name))
        {
            return name;
        }

        if (name.Contains("..", StringComparison.Ordinal) || name.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new ArgumentException($"Model id '{modelId}': a model name may not contain path separators; use an absolute path or a folder name.", nameof(modelId));
        }

        var searched = SearchRoots(options, environment).Select(root => Path.Combine(root, name)).ToList();
        if (searched.Count == 0)
        {
            throw new DirectoryNotFoundException(
                $"ONNX model '{modelId}' not found: no folder of models is configured. " +
                $"Fix: set {nameof(OnnxEmbedderOptions)}.{nameof(OnnxEmbedderOptions.ModelsDirectory)} or env {OnnxEmbedderOptions.ModelsDirectoryVariable} to the folder holding '{name}', or use onnx:<absolute path>.");
        }

        return searched.FirstOrDefault(Directory.Exists)
            ?? throw new DirectoryNotFoundException(
                $"ONNX model '{modelId}' not found; looked for folder '{name}' in: {string.Join(", ", searched)}. " +
                $"Fix: put the model folder (sentence-transformers layout, see docs/onnx.md) in one of them, set {OnnxEmbedderOptions.ModelsDirectoryVariable} to its parent folder, or use onnx:<absolute path>.");
    }

    private static IEnumerable<string> SearchRoots(OnnxEmbedderOptions? options, Func<string, string?> environment)
    {
        if (options?.ModelsDirectory is { Length: > 0 } configured)
        {
            yield return configured;
        }

        if (environment(OnnxEmbedderOptions.ModelsDirectoryVariable) is { Length: > 0 } fromEnvironment)
        {
            yield return fromEnvironment;
        }
    }
}
