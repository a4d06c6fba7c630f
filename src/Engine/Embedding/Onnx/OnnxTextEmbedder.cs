using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>
/// A transformer sentence embedder (all-MiniLM-L6-v2, snowflake-arctic-embed, bge-small, e5-small…) run by
/// ONNX Runtime (NuGet Microsoft.ML.OnnxRuntime): WordPiece tokens → model → mean (or CLS) pooling over the
/// attention mask → optional L2 normalisation, as the model's <see cref="SentenceModelSettings"/> say.
/// A call with more texts than one batch (ingest) sorts them by token count, pads each batch only to its own
/// longest text and runs the batches on every core. Thread-safe.
/// </summary>
public sealed class OnnxTextEmbedder : TextEmbedderBase
{
    private static readonly string[] HiddenStateOutputNames = ["last_hidden_state", "token_embeddings"];
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private const string Fix = "Fix: use a standard transformers ONNX export (inputs input_ids, attention_mask and optionally token_type_ids, all int64 [batch, sequence]; output last_hidden_state float [batch, sequence, hidden]), see docs/onnx.md.";

    private readonly InferenceSession _session;
    private readonly SentenceModelSettings _settings;
    private readonly BertTokenizer _tokenizer;
    private readonly string[] _inputNames;
    private readonly string[] _outputName;
    private readonly bool _outputIsPooled;
    private readonly int _maxSequenceLength;
    private readonly int _ingestParallelism;

    /// <summary>Where the output dimension came from when the model's output shape leaves it open; null when the model fixes it.</summary>
    private readonly string? _dimensionSource;

    private OnnxTextEmbedder(string modelId, string modelPath, SentenceModelSettings settings, InferenceSession session, OnnxEmbedderOptions options)
    {
        _settings = settings;
        _session = session;
        _tokenizer = settings.Tokenizer;
        ModelPath = modelPath;
        (bool feedsTokenTypes, _outputName, _outputIsPooled, int? outputDimension) = CheckSignature(session, modelPath);
        _inputNames = feedsTokenTypes ? InputNames : InputNames[..2];
        int dimensions = outputDimension ?? settings.HiddenSize
            ?? throw new InvalidDataException($"Cannot tell the output dimension of '{modelPath}': its output shape leaves it open and the model's settings ({settings.Origin}) give no hidden size. {Fix}");
        _dimensionSource = outputDimension is null ? settings.HiddenSizeSource ?? settings.Origin : null;
        _maxSequenceLength = Math.Min(settings.MaxSequenceLength, options.MaxSequenceLength ?? int.MaxValue);
        _ingestParallelism = options.EffectiveIngestParallelism;
        Info = new EmbedderInfo(modelId, dimensions, _maxSequenceLength, options.MaxBatchSize, settings.Normalize) { DefaultAlpha = settings.DefaultAlpha };
    }

    public override EmbedderInfo Info { get; }

    /// <summary>Tokenizer, pooling, normalisation and prompts of the model this embedder runs.</summary>
    public SentenceModelSettings Settings => _settings;

    /// <summary>The .onnx file this embedder runs, or a description of where its bytes came from (a package resource).</summary>
    public string ModelPath { get; }

    /// <summary>The ONNX Runtime session (signature, metadata).</summary>
    public InferenceSession Session => _session;

    /// <summary>
    /// Opens the model <paramref name="modelIdOrDirectory"/>: an <c>onnx:</c> id (see <see cref="OnnxModelLocator"/>) or a folder path.
    /// Its id (recorded in index binaries) is <paramref name="modelId"/>, or by default <c>onnx:</c> plus the folder's name.
    /// </summary>
    public static OnnxTextEmbedder Open(string modelIdOrDirectory, OnnxEmbedderOptions? options = null, string? modelId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelIdOrDirectory);
        options ??= new OnnxEmbedderOptions();
        options.Validate();
        var directory = OnnxModelLocator.IsOnnxModelId(modelIdOrDirectory) ? OnnxModelLocator.Resolve(modelIdOrDirectory, options) : modelIdOrDirectory;
        var folder = SentenceTransformerFolder.Open(directory, options.ModelFile);
        var session = OpenSession(folder.ModelFile, options, sessionOptions => new InferenceSession(folder.ModelFile, sessionOptions));
        return Guarded(session, () => new OnnxTextEmbedder(modelId ?? OnnxModelLocator.ModelIdOf(folder.Directory), folder.ModelFile, folder.Settings, session, options));
    }

    /// <summary>
    /// An embedder over an ONNX graph held in memory (e.g. read from a package resource) with the given settings;
    /// <paramref name="modelPath"/> names where the bytes came from in messages.
    /// </summary>
    public static OnnxTextEmbedder FromBytes(string modelId, byte[] model, string modelPath, SentenceModelSettings settings, OnnxEmbedderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new OnnxEmbedderOptions();
        options.Validate();
        var session = OpenSession(modelPath, options, sessionOptions => new InferenceSession(model, sessionOptions));
        return Guarded(session, () => new OnnxTextEmbedder(modelId, modelPath, settings, session, options));
    }

    public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        int dims = Info.Dimensions;
        if (destination.Length != texts.Length * dims)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats but {texts.Length} texts × {dims} dimensions need {texts.Length * dims}.", nameof(destination));
        }

        if (texts.IsEmpty)
        {
            return;
        }

        var prompt = purpose == EmbeddingPurpose.Query ? _settings.QueryPrompt : _settings.DocumentPrompt;
        var prompted = prompt.Length == 0 ? texts : WithPrompt(prompt, texts);
        if (texts.Length <= Info.MaxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EmbedBatch(_tokenizer.EncodeBatch(prompted, _maxSequenceLength), destination);
            return;
        }

        var vectors = EmbedMany(prompted.ToArray(), cancellationToken);
        vectors.CopyTo(destination);
    }

    /// <summary>Runs the model on already tokenized texts and pools into <paramref name="destination"/> (row-major).</summary>
    internal void EmbedBatch(TokenBatch batch, Span<float> destination)
    {
        int dims = Info.Dimensions;
        long[] shape = batch.Shape;
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
        using var types = _inputNames.Length == 3 ? OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape) : null;
        OrtValue[] inputs = types is null ? [ids, mask] : [ids, mask, types];
        using var run = new RunOptions();
        using var results = _session.Run(run, _inputNames, inputs, _outputName);
        var output = results[0];
        CheckOutputShape(output.GetTensorTypeAndShape().Shape, batch);
        var values = output.GetTensorDataAsSpan<float>();
        if (_outputIsPooled)
        {
            values[..(batch.Count * dims)].CopyTo(destination);
        }
        else
        {
            Pool(values, batch, destination);
        }

        if (Info.Normalized)
        {
            for (int row = 0; row < batch.Count; row++)
            {
                var vector = destination.Slice(row * dims, dims);
                float norm = TensorPrimitives.Norm(vector);
                TensorPrimitives.Divide(vector, Math.Max(norm, 1e-12f), vector);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Ingest: tokenizes every text once, orders them by token count so that each batch pads only to its own
    /// longest text, and runs the batches in parallel (each with the session's IntraOpThreads, 1 by default; IngestParallelism batches at once, every core by default).
    /// </summary>
    private float[] EmbedMany(string[] texts, CancellationToken cancellationToken)
    {
        int dims = Info.Dimensions;
        var encoded = new int[texts.Length][];
        for (int i = 0; i < texts.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            encoded[i] = _tokenizer.Encode(texts[i] ?? throw new ArgumentNullException(nameof(texts), $"texts[{i}] is null."), _maxSequenceLength);
        }

        var order = Enumerable.Range(0, texts.Length).OrderBy(i => encoded[i].Length).ToArray();
        int batchSize = Info.MaxBatchSize;
        int batches = (order.Length + batchSize - 1) / batchSize;
        var vectors = new float[texts.Length * dims];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _ingestParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, batches, parallel, b =>
        {
            var rows = order.AsSpan(b * batchSize, Math.Min(batchSize, order.Length - b * batchSize)).ToArray();
            var pooled = new float[rows.Length * dims];
            EmbedBatch(_tokenizer.PadBatch([.. rows.Select(r => encoded[r])]), pooled);
            for (int i = 0; i < rows.Length; i++)
            {
                pooled.AsSpan(i * dims, dims).CopyTo(vectors.AsSpan(rows[i] * dims, dims));
            }
        });
        return vectors;
    }

    private void Pool(ReadOnlySpan<float> hidden, TokenBatch batch, Span<float> destination)
    {
        int dims = Info.Dimensions;
        int rowStride = batch.SequenceLength * dims;
        for (int row = 0; row < batch.Count; row++)
        {
            var vector = destination.Slice(row * dims, dims);
            var tokens = hidden.Slice(row * rowStride, rowStride);
            if (_settings.Pooling == PoolingMode.ClassifierToken)
            {
                tokens[..dims].CopyTo(vector);
                continue;
            }

            // Right padding: the attention mask is 1 exactly on the first Lengths[row] tokens.
            int real = batch.Lengths[row];
            tokens[..dims].CopyTo(vector);
            for (int t = 1; t < real; t++)
            {
                TensorPrimitives.Add(vector, tokens.Slice(t * dims, dims), vector);
            }

            TensorPrimitives.Divide(vector, real, vector);
        }
    }

    /// <summary>
    /// The declared output shape may leave the hidden size open, in which case it came from the model's
    /// settings; a wrong value there must not make pooling read past (or short of) each token's vector.
    /// </summary>
    private void CheckOutputShape(long[] actual, TokenBatch batch)
    {
        int dims = Info.Dimensions;
        bool ok = _outputIsPooled
            ? actual.Length == 2 && actual[0] == batch.Count && actual[1] == dims
            : actual.Length == 3 && actual[0] == batch.Count && actual[1] == batch.SequenceLength && actual[2] == dims;
        if (ok)
        {
            return;
        }

        string expected = _outputIsPooled ? $"[{batch.Count},{dims}]" : $"[{batch.Count},{batch.SequenceLength},{dims}]";
        string fix = _dimensionSource is not null && actual.Length == (_outputIsPooled ? 2 : 3)
            ? $"The dimension {dims} comes from {_dimensionSource}, as the model's declared output shape leaves it open. Fix: set it to {actual[^1]}, the size the model really returns."
            : Fix;
        throw new InvalidDataException(
            $"ONNX model '{ModelPath}' returned output '{_outputName[0]}' of shape [{string.Join(",", actual)}] where {expected} was expected. {fix}");
    }

    private static string[] WithPrompt(string prompt, ReadOnlySpan<string> texts)
    {
        var prefixed = new string[texts.Length];
        for (int i = 0; i < texts.Length; i++)
        {
            prefixed[i] = prompt + (texts[i] ?? throw new ArgumentNullException(nameof(texts), $"texts[{i}] is null."));
        }

        return prefixed;
    }

    /// <summary>Creates the session, turning ONNX Runtime's refusal of the model into a message naming it.</summary>
    private static InferenceSession OpenSession(string modelPath, OnnxEmbedderOptions options, Func<SessionOptions, InferenceSession> open)
    {
        using var sessionOptions = options.ToSessionOptions();
        try
        {
            return open(sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException(
                $"ONNX Runtime cannot load model '{modelPath}': {e.Message} Fix: use a complete, uncorrupted .onnx export of the model (see docs/onnx.md).", e);
        }
    }

    private static OnnxTextEmbedder Guarded(InferenceSession session, Func<OnnxTextEmbedder> create)
    {
        try
        {
            return create();
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static (bool FeedsTokenTypes, string[] Output, bool Pooled, int? Dimension) CheckSignature(InferenceSession session, string modelPath)
    {
        var inputs = session.InputMetadata;
        bool Int64Matrix(string name) => inputs.TryGetValue(name, out var info) && IsTensor(info, TensorElementType.Int64, rank: 2);
        bool unexpected = inputs.Keys.Any(name => !InputNames.Contains(name));
        if (!Int64Matrix("input_ids") || !Int64Matrix("attention_mask") || (inputs.ContainsKey("token_type_ids") && !Int64Matrix("token_type_ids")) || unexpected)
        {
            throw new NotSupportedException(
                $"ONNX model '{modelPath}' has an unsupported input signature ({Describe(inputs)}). {Fix}");
        }

        var outputs = session.OutputMetadata;
        var hiddenState = outputs.FirstOrDefault(o => HiddenStateOutputNames.Contains(o.Key) && IsTensor(o.Value, TensorElementType.Float, rank: 3));
        hiddenState = hiddenState.Key is null ? outputs.FirstOrDefault(o => IsTensor(o.Value, TensorElementType.Float, rank: 3)) : hiddenState;
        if (hiddenState.Key is not null)
        {
            return (inputs.ContainsKey("token_type_ids"), [hiddenState.Key], false, StaticDimension(hiddenState.Value.Dimensions[2]));
        }

        if (outputs.TryGetValue("sentence_embedding", out var pooled) && IsTensor(pooled, TensorElementType.Float, rank: 2))
        {
            return (inputs.ContainsKey("token_type_ids"), ["sentence_embedding"], true, StaticDimension(pooled.Dimensions[1]));
        }

        throw new NotSupportedException(
            $"ONNX model '{modelPath}' has an unsupported output signature ({Describe(outputs)}). {Fix}");
    }

    private static bool IsTensor(NodeMetadata info, TensorElementType type, int rank) =>
        info.IsTensor && info.ElementDataType == type && info.Dimensions.Length == rank;

    /// <summary>e.g. <c>input_ids: Int64[-1,-1]; attention_mask: Int64[-1,-1]</c> (-1: a dimension left open).</summary>
    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        string.Join("; ", nodes.Select(n => n.Value.IsTensor
            ? $"{n.Key}: {n.Value.ElementDataType}[{string.Join(",", n.Value.Dimensions)}]"
            : $"{n.Key}: {n.Value.OnnxValueType}"));

    private static int? StaticDimension(int dimension) => dimension > 0 ? dimension : null;
}
