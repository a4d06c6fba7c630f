using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using Microsoft.ML.OnnxRuntime;
using MossGrains.Engine.Tests.Onnx;

namespace MossGrains.Engine.Tests.Embedding.Onnx;

/// <summary>
/// Pooling and normalisation follow the folder's sentence-transformers modules. The expected vectors
/// are pooled here, in double precision, from the raw ONNX Runtime output of each text run alone
/// (no padding), so batching, padding and the embedder's own pooling are all under test.
/// </summary>
public sealed class OnnxPoolingTests
{
    private static readonly string[] Texts =
    [
        "where is my refund",
        "The patient's blood pressure dropped sharply after the second dose.",
        "short",
        "Café crème, s'il vous plaît! Deux, s'il vous plaît.",
    ];

    [Fact]
    public void WithoutNormalizeModule_VectorsAreThePlainMeanOfTokenVectors()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        var modulesPath = Path.Combine(folder.Path, "modules.json");
        var modules = JsonNode.Parse(File.ReadAllText(modulesPath))!.AsArray();
        modules.Remove(modules.Single(m => m!["type"]!.GetValue<string>().EndsWith(".Normalize", StringComparison.Ordinal)));
        File.WriteAllText(modulesPath, modules.ToJsonString());

        using var embedder = OnnxTextEmbedder.Open(folder.Path);
        var actual = OnnxTestAssets.EmbedAll(embedder, Texts);

        Assert.False(embedder.Info.Normalized);
        Assert.Equal(PoolingMode.Mean, embedder.Settings.Pooling);
        for (int i = 0; i < Texts.Length; i++)
        {
            var tokens = RawTokenVectors(embedder, Texts[i], out int count);
            var expected = new float[32];
            for (int d = 0; d < 32; d++)
            {
                double sum = 0;
                for (int t = 0; t < count; t++)
                {
                    sum += tokens[(t * 32) + d];
                }

                expected[d] = (float)(sum / count);
            }

            AssertClose(expected, actual.AsSpan(i * 32, 32), i);
            Assert.True(Math.Abs(TensorPrimitives.Norm(expected) - 1f) > 0.1f, $"text {i}: the un-normalised mean happens to be unit length, so the test could not tell");
        }
    }

    [Fact]
    public void ClsPooling_TakesTheFirstTokenVector_ThenNormalises()
    {
        using var folder = TempModelFolder.CopyOf(OnnxTestAssets.TinyModelDirectory);
        File.WriteAllText(
            Path.Combine(folder.Path, "1_Pooling", "config.json"),
            """{"word_embedding_dimension": 32, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false, "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}""");

        using var embedder = OnnxTextEmbedder.Open(folder.Path);
        var actual = OnnxTestAssets.EmbedAll(embedder, Texts);

        Assert.True(embedder.Info.Normalized);
        Assert.Equal(PoolingMode.ClassifierToken, embedder.Settings.Pooling);
        for (int i = 0; i < Texts.Length; i++)
        {
            var tokens = RawTokenVectors(embedder, Texts[i], out _);
            var expected = tokens.AsSpan(0, 32).ToArray();
            double norm = Math.Sqrt(expected.Sum(v => (double)v * v));
            AssertClose(expected.Select(v => (float)(v / norm)).ToArray(), actual.AsSpan(i * 32, 32), i);
        }
    }

    /// <summary>The model's token vectors for <paramref name="text"/> alone: <paramref name="count"/> × 32 floats.</summary>
    private static float[] RawTokenVectors(OnnxTextEmbedder embedder, string text, out int count)
    {
        var ids = embedder.Settings.Tokenizer.Encode(text, embedder.Info.MaxSequenceLength).Select(id => (long)id).ToArray();
        count = ids.Length;
        var shape = new long[] { 1, count };
        using var session = new InferenceSession(embedder.ModelPath);
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, count).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[count], shape);
        using var run = new RunOptions();
        using var result = session.Run(run, ["input_ids", "attention_mask", "token_type_ids"], [inputIds, mask, types], ["last_hidden_state"]);
        Assert.Equal([1L, count, 32L], result[0].GetTensorTypeAndShape().Shape);
        return result[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, int text)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int d = 0; d < expected.Length; d++)
        {
            Assert.True(Math.Abs(expected[d] - actual[d]) <= 1e-5f, $"text {text}, dimension {d}: expected {expected[d]}, got {actual[d]}");
        }
    }
}
