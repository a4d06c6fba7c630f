namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>
/// <c>moss-minilm-int8</c>: all-MiniLM-L6-v2 with its encoder's MatMul weights quantized to 8 bits (dynamic
/// quantization: DynamicQuantizeLinear + MatMulInteger + scale Mul, the graph ONNX Runtime's
/// <c>quantize_dynamic</c> writes with weight_type QUInt8, per tensor; uint8 rather than int8 weights because
/// ONNX Runtime's AVX2 kernels saturate on uint8 × int8, see the script). eng/setup.d/40-minilm-int8.sh derives it reproducibly from the packaged fp32
/// model with eng/tools/quantize/quantize_dynamic.py; its output is pinned by <see cref="Sha256"/>. Tokenizer and
/// settings are those of <see cref="PackagedSentenceModel.MiniLm"/>.
/// </summary>
public static class QuantizedMiniLm
{
    public const string ModelId = "moss-minilm-int8";

    /// <summary>File name inside <see cref="EmbedderOptions.ModelDirectory"/>.</summary>
    public const string FileName = "moss-minilm-int8.onnx";

    /// <summary>SHA-256 of the quantizer's output for the pinned fp32 model (also checked by the set-up script).</summary>
    public const string Sha256 = "43cd7eed5a196e9da12c7ffcd9c0985fe61dbe0f3a234abe91a2eb96e1c8cf8a";

    /// <summary>Opens the int8 model from <see cref="EmbedderOptions.ModelDirectory"/> (env <c>MOSS_MODELS_DIR</c>).</summary>
    public static OnnxTextEmbedder Open(EmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.Combine(options.ResolveModelDirectory(ModelId), FileName);
        return PackagedSentenceModel.MiniLm.OpenVariant(ModelId, path, Sha256, options.Onnx);
    }
}
