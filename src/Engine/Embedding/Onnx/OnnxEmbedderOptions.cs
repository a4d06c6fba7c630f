using Microsoft.ML.OnnxRuntime;

namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>How an <see cref="OnnxTextEmbedder"/> finds and runs its model.</summary>
public sealed class OnnxEmbedderOptions
{
    /// <summary>Environment variable naming a folder of model folders, searched for <c>onnx:&lt;name&gt;</c> ids.</summary>
    public const string ModelsDirectoryVariable = "MOSS_ONNX_MODELS_DIR";

    /// <summary>
    /// Folder of model folders searched for <c>onnx:&lt;name&gt;</c> ids before env
    /// <c>MOSS_ONNX_MODELS_DIR</c>. Default null.
    /// </summary>
    public string? ModelsDirectory { get; set; }

    /// <summary>Threads per operator. Default 1: predictable latency next to other sessions' work.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Whether ONNX Runtime's pool threads spin while idle (session config <c>session.intra_op.allow_spinning</c>).
    /// Applied only when <see cref="IntraOpThreads"/> is not 1 (one thread has no pool). Default false: on a
    /// machine shared with other sessions, spinning threads take the cores the work needs (measured in docs/onnx.md).
    /// </summary>
    public bool AllowThreadSpinning { get; set; }

    /// <summary>Graph rewrites at load. Default <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// The .onnx file to run, relative to the model folder (e.g. <c>onnx/model_quint8_avx2.onnx</c>
    /// for a quantized export). Default null: <c>onnx/model.onnx</c>, else <c>model.onnx</c>.
    /// </summary>
    public string? ModelFile { get; set; }

    /// <summary>Texts per model run. Default 32.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// Model runs in flight at once when one <see cref="OnnxTextEmbedder.Embed"/> call holds more than one batch
    /// (ingest). Default null: <see cref="Environment.ProcessorCount"/>, every core. A single batch (a query) runs
    /// on the calling thread.
    /// </summary>
    public int? IngestParallelism { get; set; }

    /// <summary>
    /// Tokens per text, lowering the model's own limit (sentence_bert_config.json <c>max_seq_length</c>).
    /// Default null: the model's limit.
    /// </summary>
    public int? MaxSequenceLength { get; set; }

    internal int EffectiveIngestParallelism => IngestParallelism ?? Environment.ProcessorCount;

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

        if (IntraOpThreads < 0)
        {
            throw new ArgumentException($"IntraOpThreads must be 0 (ONNX Runtime's default) or more, got {IntraOpThreads}.");
        }

        if (IngestParallelism is < 1)
        {
            throw new ArgumentException($"IngestParallelism must be at least 1, got {IngestParallelism}.");
        }
    }

    internal SessionOptions ToSessionOptions()
    {
        var session = new SessionOptions
        {
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel,
        };
        if (IntraOpThreads != 1)
        {
            session.AddSessionConfigEntry("session.intra_op.allow_spinning", AllowThreadSpinning ? "1" : "0");
        }

        return session;
    }
}
