using MossGrains.Engine.Embedding;
using MossGrains.Engine.Onnx;

namespace MossGrains.Engine.Tests.Onnx;

/// <summary>
/// Artefacts the ONNX tests need, made by eng/test-setup.d/31-onnx-test-assets.sh (run by eng/test.sh):
/// the BERT-architecture test model and the onnxruntime-node reference embeddings, under .native/.
/// </summary>
internal static class OnnxTestAssets
{
    public static string NativeDirectory => MossPaths.NativeDirectory;

    public static string SharedDirectory => MossPaths.SharedDirectory;

    public static string MiniLmTokenizerDirectory => Path.Combine(SharedDirectory, "models", "all-MiniLM-L6-v2");

    public static string TinyModelDirectory => GeneratedModel("tiny-bert");

    public static string TinyModelFile => Path.Combine(TinyModelDirectory, "onnx", "model.onnx");

    public static string ReferenceEmbeddingsFile => Require(Path.Combine(NativeDirectory, "fixtures", "tiny-bert-embeddings.json"));

    public static string TokenizerFixturesFile => Require(Path.Combine(NativeDirectory, "fixtures", "tokenizer-minilm.json"));

    public static OrtLibrary Library => OrtLibrary.Default;

    /// <summary>A model folder the test set-up generated under <c>&lt;native&gt;/models</c> (tiny-bert-int8, tiny-bert-int64-out…).</summary>
    public static string GeneratedModel(string name) => Require(Path.Combine(NativeDirectory, "models", name));

    /// <summary>The vectors of <paramref name="texts"/> as documents, row-major.</summary>
    public static float[] EmbedAll(MossGrains.Engine.Embedding.ITextEmbedder embedder, string[] texts)
    {
        var vectors = new float[texts.Length * embedder.Info.Dimensions];
        embedder.Embed(texts, vectors, MossGrains.Engine.Embedding.EmbeddingPurpose.Document);
        return vectors;
    }

    public static string Require(string path) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"Test asset '{path}' is missing: run ./eng/test.sh (or eng/setup.sh and eng/test-setup.d/31-onnx-test-assets.sh).", path);
}
