namespace MossGrains.Engine.Embedding.Onnx.Quantization;

/// <summary>How <see cref="OnnxDynamicQuantizer"/> stores each MatMul weight matrix, always per output column.</summary>
internal enum QuantizedWeights
{
    /// <summary>
    /// uint8, asymmetric over [min(W[·,n], 0), max(W[·,n], 0)] (<c>quantize_dynamic</c>'s QUInt8 weights): 255 levels,
    /// but ONNX Runtime multiplies uint8 activations by uint8 weights with a slower kernel than by int8 ones on x86.
    /// </summary>
    UInt8,

    /// <summary>
    /// int8 within [−64, 64], symmetric (zero point 0), scale = max|W[·,n]| / 64 (<c>quantize_dynamic</c>'s QInt8 weights
    /// with <c>reduce_range</c>): ONNX Runtime's faster uint8 × int8 kernel, whose x86 AVX2 path sums pairs of products in
    /// saturating 16 bits — 2 × 255 × 64 stays below 32,767, while full-range int8 weights could saturate.
    /// </summary>
    Int7,
}
