using MossGrains.Engine.Onnx;

namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>How an <see cref="OnnxTextEmbedder"/> finds and runs its model.</summary>
public sealed class OnnxEmbedderOptions
{
    /// <summary>Environment variable naming a folder of model folders, searched for <c>onnx:&lt;name&gt;</c> ids.</summary>
    public const string ModelsDirectoryVariable = "MOSS_ONNX_MODELS_DIR";

    /// <summary>
    /// Folder of model folders searched for <c>onnx:&lt;name&gt;</c> ids before env
    /// <c>MOSS_ONNX_MODELS_DIR</c> and <c>&lt;native&gt;/models</c>. Default null.
    /// </summary>
    public string? ModelsDirectory { get; set; }

    /// <summary>ONNX Runtime library file; default null: <see cref="OrtLibrary.Default"/> (env <c>MOSS_ONNXRUNTIME_PATH</c>, then .native/onnxruntime).</summary>
    public string? LibraryPath { get; set; }

    /// <summary>Threads per operator. Default 1: predictable latency next to other sessions' work.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Graph rewrites at load. Default <see cref="OrtGraphOptimizationLevel.All"/>.</summary>
    public OrtGraphOptimizationLevel GraphOptimizationLevel { get; set; } = OrtGraphOptimizationLevel.All;

    /// <summary>
    /// The .onnx file to run, relative to the model folder (e.g. <c>onnx/model_quint8_avx2.onnx</c>
    /// for a quantized export). Default null: <c>onnx/model.onnx</c>, else <c>model.onnx</c>.
    /// </summary>
    public string? ModelFile { get; set; }

    /// <summary>Texts per model run. Default 32.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// Tokens per text, lowering the model's own limit (sentence_bert_config.json <c>max_seq_length</c>).
    /// Default null: the model's limit.
    /// </summary>
    public int? MaxSequenceLength { get; set; }

    internal void Validate()
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"MaxBatchSize must be at least 1, got {MaxBatchSize}.");
        }

        if (MaxSequenceLength is < 2)
        {
            throw new ArgumentException($"MaxSequenceLength must be at least 2 ([CLS] and [SEP]), got {MaxSequenceLength}.");
        }
    }
}
