using System.Text.Json;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Tests.Onnx;
using Xunit.Abstractions;

namespace MossGrains.Engine.Tests.Embedding.Onnx;

/// <summary>
/// Our pipeline against onnxruntime-node running the same model on the same token ids with the
/// same pooling (eng/tools/onnx-reference-embeddings.mjs), batch for batch.
/// </summary>
public sealed class OnnxTextEmbedderReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public void Embeddings_MatchOnnxRuntimeNode_WithinOneMillionth()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(OnnxTestAssets.ReferenceEmbeddingsFile));
        var root = document.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray().ToArray();
        using var embedder = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);
        Assert.Equal(root.GetProperty("maxSequenceLength").GetInt32(), embedder.Info.MaxSequenceLength);
        Assert.True(root.GetProperty("normalized").GetBoolean());
        int dims = embedder.Info.Dimensions;
        double maxDifference = 0;
        int compared = 0;
        foreach (var batch in root.GetProperty("batches").EnumerateArray())
        {
            var rows = batch.EnumerateArray().Select(i => cases[i.GetInt32()]).ToArray();
            var texts = rows.Select(r => r.GetProperty("text").GetString()!).ToArray();
            foreach (var row in rows)
            {
                var expectedIds = row.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray();
                Assert.Equal(expectedIds, embedder.Settings.Tokenizer.Encode(row.GetProperty("text").GetString()!, embedder.Info.MaxSequenceLength));
            }

            var actual = new float[texts.Length * dims];
            embedder.Embed(texts, actual, EmbeddingPurpose.Document);
            for (int r = 0; r < rows.Length; r++)
            {
                var expected = rows[r].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
                Assert.Equal(dims, expected.Length);
                for (int d = 0; d < dims; d++)
                {
                    maxDifference = Math.Max(maxDifference, Math.Abs(expected[d] - actual[(r * dims) + d]));
                }

                compared++;
            }
        }

        output.WriteLine($"max abs difference {maxDifference:E3} over {compared} embeddings");
        Assert.True(compared >= 300, $"only {compared} reference embeddings");
        Assert.True(maxDifference <= 1e-5, $"max abs difference {maxDifference:E3} over {compared} embeddings");
    }
}
