using Microsoft.ML.OnnxRuntime;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Embedding.Onnx.Quantization;

namespace MossGrains.Bench.Onnx;

/// <summary>
/// Quantized variants of all-MiniLM-L6-v2 that the engine does not ship, registered in the bench's catalogs so that
/// <c>onnx</c>, <c>onnx-ab</c> and <c>beir</c> can measure them against the shipped models before one is adopted.
/// </summary>
internal static class CandidateModels
{
    /// <summary>int8 weights within [−64, 64] per column (<see cref="QuantizedWeights.Int7"/>).</summary>
    public const string Int7 = "moss-minilm-int7";

    /// <summary>
    /// The fp32 graph as ONNX Runtime rewrites it at <see cref="GraphOptimizationLevel.ORT_ENABLE_EXTENDED"/> (its fusions:
    /// LayerNormalization, BiasGelu, FusedMatMul…), then quantized as the shipped model is: ONNX Runtime's own tools fuse before quantizing.
    /// </summary>
    public const string FusedInt8 = "moss-minilm-int8-fused";

    public static EmbedderCatalog Register(EmbedderCatalog catalog) =>
        catalog.RegisterModel(Int7, options => Quantized(Int7, PackagedSentenceModel.MiniLm.ReadModel(), QuantizedWeights.Int7, options.Onnx))
            .RegisterModel(FusedInt8, options => Quantized(FusedInt8, OptimizedByOnnxRuntime(PackagedSentenceModel.MiniLm.ReadModel()), QuantizedWeights.UInt8, options.Onnx));

    private static byte[] OptimizedByOnnxRuntime(byte[] model)
    {
        string path = Path.Combine(Path.GetTempPath(), $"moss-bench-optimized-{Environment.ProcessId}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = path })
            using (new InferenceSession(model, options))
            {
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static OnnxTextEmbedder Quantized(string modelId, byte[] fp32, QuantizedWeights weights, OnnxEmbedderOptions? options)
    {
        var (model, matMuls) = OnnxDynamicQuantizer.Quantize(fp32, weights);
        return OnnxTextEmbedder.FromBytes(modelId, model, $"{PackagedSentenceModel.MiniLm.Description} quantized in the bench ({weights}, {matMuls} MatMuls)",
            PackagedSentenceModel.MiniLm.ReadSettings(), options);
    }
}
