using MossGrains.Engine.Embedding.Onnx.Quantization;

namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>
/// <c>moss-minilm-int8</c>: all-MiniLM-L6-v2 with its encoder's 36 MatMul weights quantized to 8 bits by
/// <see cref="OnnxDynamicQuantizer"/> (the graph ONNX Runtime's <c>quantize_dynamic</c> writes, uint8 weights per column), derived
/// in memory at first use from the packaged fp32 model: like <c>moss-minilm</c> it needs no set-up, download or
/// repository checkout. The output is checked against <see cref="Sha256"/>, so every machine runs the same bytes.
/// Tokenizer and settings are those of <see cref="PackagedSentenceModel.MiniLm"/>.
/// </summary>
public static class QuantizedMiniLm
{
    public const string ModelId = "moss-minilm-int8";

    /// <summary>SHA-256 of the quantizer's output for the pinned fp32 model.</summary>
    public const string Sha256 = "c84b5650ff54281ad3e846cab5cd86b680f38a9557cb42c1be03f70c5c1e8efa";

    /// <summary>The quantized model bytes (verified).</summary>
    public static byte[] ReadModel()
    {
        var (model, matMuls) = OnnxDynamicQuantizer.Quantize(PackagedSentenceModel.MiniLm.ReadModel());
        PackagedSentenceModel.Verify(model, Sha256, $"{PackagedSentenceModel.MiniLm.Description} quantized ({matMuls} MatMuls)",
            "Fix: the quantizer or the packaged model changed; re-measure the int8 model (docs/onnx.md) and pin the new checksum.");
        return model;
    }

    /// <summary>Opens the int8 model.</summary>
    public static OnnxTextEmbedder Open(OnnxEmbedderOptions? options = null) =>
        OnnxTextEmbedder.FromBytes(ModelId, ReadModel(), $"{PackagedSentenceModel.MiniLm.Description} quantized in memory (SHA-256 {Sha256})",
            PackagedSentenceModel.MiniLm.ReadSettings(), options);
}
