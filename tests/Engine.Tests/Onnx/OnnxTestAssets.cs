using MossGrains.Engine.Embedding;

namespace MossGrains.Engine.Tests.Onnx;

/// <summary>
/// Artefacts the ONNX tests need, made by eng/setup.sh and eng/test-setup.d/31-onnx-test-assets.sh (run by
/// eng/test.sh) under the native folder: env <c>MOSS_NATIVE_DIR</c>, else <c>.native</c> of the checkout the
/// test assembly was built in; shared data: env <c>MOSS_SHARED_DIR</c>, else <c>../shared</c> beside the checkout.
/// Finding the checkout is the tests' business: the engine itself never looks for one.
/// </summary>
internal static class OnnxTestAssets
{
    private static readonly Lazy<string> Checkout = new(FindCheckout);

    public static string NativeDirectory => Environment.GetEnvironmentVariable("MOSS_NATIVE_DIR") is { Length: > 0 } native ? native : Path.Combine(Checkout.Value, ".native");

    public static string SharedDirectory => Environment.GetEnvironmentVariable("MOSS_SHARED_DIR") is { Length: > 0 } shared ? shared : Path.GetFullPath(Path.Combine(Checkout.Value, "..", "shared"));

    /// <summary>Where the test set-up writes its generated model folders.</summary>
    public static string ModelsDirectory => Path.Combine(NativeDirectory, "models");

    public static string MiniLmTokenizerDirectory => Path.Combine(SharedDirectory, "models", "all-MiniLM-L6-v2");

    public static string TinyModelDirectory => GeneratedModel("tiny-bert");

    public static string TinyModelFile => Path.Combine(TinyModelDirectory, "onnx", "model.onnx");

    public static string ReferenceEmbeddingsFile => Require(Path.Combine(NativeDirectory, "fixtures", "tiny-bert-embeddings.json"));

    public static string TokenizerFixturesFile => Require(Path.Combine(NativeDirectory, "fixtures", "tokenizer-minilm.json"));

    /// <summary>A model folder the test set-up generated under <c>&lt;native&gt;/models</c> (tiny-bert-int8, tiny-bert-int64-out…).</summary>
    public static string GeneratedModel(string name) => Require(Path.Combine(NativeDirectory, "models", name));

    /// <summary>The vectors of <paramref name="texts"/> as documents, row-major.</summary>
    public static float[] EmbedAll(ITextEmbedder embedder, string[] texts)
    {
        var vectors = new float[texts.Length * embedder.Info.Dimensions];
        embedder.Embed(texts, vectors, EmbeddingPurpose.Document);
        return vectors;
    }

    public static string Require(string path) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"Test asset '{path}' is missing: run ./eng/test.sh (or eng/setup.sh and eng/test-setup.d/31-onnx-test-assets.sh).", path);

    private static string FindCheckout()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MossGrains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No MossGrains.sln above '{AppContext.BaseDirectory}': set MOSS_NATIVE_DIR and MOSS_SHARED_DIR.");
    }
}
