using System.Numerics.Tensors;
using System.Security.Cryptography;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Embedding.Onnx.Quantization;
using MossGrains.Engine.Tests.Onnx;

namespace MossGrains.Engine.Tests.Embedding.Onnx;

/// <summary>
/// The in-memory quantizer against the independent Python reference (eng/tools/quantize/quantize_dynamic.py, run on
/// tiny-bert by the test set-up), and on the real all-MiniLM-L6-v2.
/// </summary>
public sealed class OnnxDynamicQuantizerTests
{
    private static readonly string[] Texts =
    [
        "where is my refund",
        "Vitamin D deficiency increases fracture risk in older adults.",
        "The mitochondria is the powerhouse of the cell, producing ATP through oxidative phosphorylation.",
        "naïve café résumé — 42 € + tax",
    ];

    [Fact]
    public void TinyBert_QuantizesLikeThePythonReference_VectorForVector()
    {
        var folder = SentenceTransformerFolder.Open(OnnxTestAssets.TinyModelDirectory);
        var (quantized, matMuls) = OnnxDynamicQuantizer.Quantize(File.ReadAllBytes(folder.ModelFile));
        using var ours = OnnxTextEmbedder.FromBytes("tiny-quantized", quantized, "tiny-bert quantized in memory", folder.Settings);
        using var reference = OnnxTextEmbedder.Open(OnnxTestAssets.GeneratedModel("tiny-bert-quantize-reference"));
        using var fp32 = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        // 2 layers × (query, key, value, attention output, FFN in, FFN out); the two activation × activation MatMuls per layer stay float.
        Assert.Equal(12, matMuls);
        var expected = OnnxTestAssets.EmbedAll(reference, Texts);
        var actual = OnnxTestAssets.EmbedAll(ours, Texts);
        Assert.Equal(expected, actual);
        Assert.NotEqual(OnnxTestAssets.EmbedAll(fp32, Texts), actual);
    }

    [Fact]
    public void TinyBert_Int7Weights_RunAsSignedInt8_CloseToFp32_AndUnlikeUInt8()
    {
        var folder = SentenceTransformerFolder.Open(OnnxTestAssets.TinyModelDirectory);
        var fp32Bytes = File.ReadAllBytes(folder.ModelFile);
        var (int7, matMuls) = OnnxDynamicQuantizer.Quantize(fp32Bytes, QuantizedWeights.Int7);
        using var ours = OnnxTextEmbedder.FromBytes("tiny-int7", int7, "tiny-bert, int7 weights", folder.Settings);
        using var uint8 = OnnxTextEmbedder.FromBytes("tiny-uint8", OnnxDynamicQuantizer.Quantize(fp32Bytes).Model, "tiny-bert, uint8 weights", folder.Settings);
        using var fp32 = OnnxTextEmbedder.Open(OnnxTestAssets.TinyModelDirectory);

        Assert.Equal(12, matMuls);
        Assert.Equal(int7, OnnxDynamicQuantizer.Quantize(fp32Bytes, QuantizedWeights.Int7).Model); // deterministic
        var actual = OnnxTestAssets.EmbedAll(ours, Texts);
        Assert.NotEqual(OnnxTestAssets.EmbedAll(uint8, Texts), actual);
        var expected = OnnxTestAssets.EmbedAll(fp32, Texts);
        int dims = ours.Info.Dimensions;
        for (int row = 0; row < Texts.Length; row++)
        {
            float cosine = TensorPrimitives.CosineSimilarity(expected.AsSpan(row * dims, dims), actual.AsSpan(row * dims, dims));
            Assert.True(cosine > 0.95f, $"'{Texts[row]}': int7 vs fp32 cosine {cosine:F4}");
        }
    }

    [Fact]
    public void MiniLm_Int8_IsTheQuantizedPackagedModel_CloseToFp32()
    {
        var model = QuantizedMiniLm.ReadModel();
        using var int8 = QuantizedMiniLm.Open();
        using var fp32 = PackagedSentenceModel.MiniLm.Open();

        Assert.Equal(QuantizedMiniLm.Sha256, Convert.ToHexStringLower(SHA256.HashData(model)));
        Assert.InRange(model.Length, 55_000_000, 62_000_000); // fp32 90.9 MB: 36 weight matrices now one byte per value
        foreach (var text in Texts)
        {
            float cosine = TensorPrimitives.CosineSimilarity(fp32.EmbedOne(text), int8.EmbedOne(text));
            Assert.True(cosine > 0.99f, $"'{text}': int8 vs fp32 cosine {cosine:F4}");
            Assert.True(cosine < 0.99999f, $"'{text}': int8 gave the fp32 vector exactly: is the int8 graph really running?");
        }
    }

    [Fact]
    public void TruncatedModel_IsRefused()
    {
        var bytes = File.ReadAllBytes(OnnxTestAssets.TinyModelFile);

        var error = Assert.Throws<InvalidDataException>(() => OnnxDynamicQuantizer.Quantize(bytes.AsSpan(0, bytes.Length - 1000)));

        Assert.Contains("ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelWithoutWeightMatMuls_IsReturnedUnchanged()
    {
        var bytes = File.ReadAllBytes(Path.Combine(OnnxTestAssets.GeneratedModel("tiny-bert-quantize-reference"), "onnx", "model.onnx"));

        var (quantized, matMuls) = OnnxDynamicQuantizer.Quantize(bytes);

        Assert.Equal(0, matMuls);
        Assert.Equal(bytes, quantized);
    }
}
