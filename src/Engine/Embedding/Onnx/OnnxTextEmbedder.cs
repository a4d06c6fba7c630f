using System.Numerics.Tensors;
using MossGrains.Engine.Onnx;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>
/// A transformer sentence embedder (all-MiniLM-L6-v2, bge-small, e5-small…) run by ONNX Runtime:
/// WordPiece tokens → model → mean (or CLS) pooling over the attention mask → optional L2
/// normalisation, as the model folder's sentence-transformers modules say. Thread-safe.
/// </summary>
public sealed class OnnxTextEmbedder : TextEmbedderBase
{
    private static readonly string[] HiddenStateOutputNames = ["last_hidden_state", "token_embeddings"];
    private const string Fix = "Fix: use a standard transformers ONNX export (inputs input_ids, attention_mask and optionally token_type_ids, all int64 [batch, sequence]; output last_hidden_state float [batch, sequence, hidden]), see docs/onnx.md.";

    private readonly OrtSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly SentenceTransformerFolder _folder;
    private readonly bool _feedsTokenTypes;
    private readonly string[] _outputName;
    private readonly bool _outputIsPooled;
    private readonly int _maxSequenceLength;

    private OnnxTextEmbedder(SentenceTransformerFolder folder, OrtSession session, OnnxEmbedderOptions options)
    {
        _folder = folder;
        _session = session;
        _tokenizer = folder.Tokenizer;
        (_feedsTokenTypes, _outputName, _outputIsPooled, int? outputDimension) = CheckSignature(session);
        int dimensions = outputDimension ?? folder.HiddenSize ?? folder.PoolingDimension
            ?? throw new InvalidDataException($"Cannot tell the output dimension of '{session.ModelPath}': its output shape leaves it open and config.json has no hidden_size. {Fix}");
        _maxSequenceLength = Math.Min(folder.MaxSequenceLength, options.MaxSequenceLength ?? int.MaxValue);
        Info = new EmbedderInfo(OnnxModelLocator.ModelIdOf(folder.Directory), dimensions, _maxSequenceLength, options.MaxBatchSize, folder.Normalize);
    }

    public override EmbedderInfo Info { get; }

    /// <summary>The model folder this embedder runs.</summary>
    public SentenceTransformerFolder Folder => _folder;

    /// <summary>The ONNX Runtime session (signature, model path).</summary>
    public OrtSession Session => _session;

    /// <summary>Opens the model <paramref name="modelIdOrDirectory"/>: an <c>onnx:</c> id (see <see cref="OnnxModelLocator"/>) or a folder path.</summary>
    public static OnnxTextEmbedder Open(string modelIdOrDirectory, OnnxEmbedderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelIdOrDirectory);
        options ??= new OnnxEmbedderOptions();
        options.Validate();
        var directory = OnnxModelLocator.IsOnnxModelId(modelIdOrDirectory) ? OnnxModelLocator.Resolve(modelIdOrDirectory, options) : modelIdOrDirectory;
        var folder = SentenceTransformerFolder.Open(directory, options.ModelFile);
        var library = options.LibraryPath is { Length: > 0 } path ? OrtLibrary.Load(path) : OrtLibrary.Default;
        var session = OrtSession.Open(folder.ModelFile, new OrtSessionOptions
        {
            IntraOpThreads = options.IntraOpThreads,
            GraphOptimizationLevel = options.GraphOptimizationLevel,
        }, library);
        try
        {
            return new OnnxTextEmbedder(folder, session, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        int dims = Info.Dimensions;
        if (destination.Length != texts.Length * dims)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats but {texts.Length} texts × {dims} dimensions need {texts.Length * dims}.", nameof(destination));
        }

        var prompt = purpose == EmbeddingPurpose.Query ? _folder.QueryPrompt : _folder.DocumentPrompt;
        for (int start = 0; start < texts.Length; start += Info.MaxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(Info.MaxBatchSize, texts.Length - start);
            var chunk = texts.Slice(start, count);
            var batch = _tokenizer.EncodeBatch(prompt.Length == 0 ? chunk : WithPrompt(prompt, chunk), _maxSequenceLength);
            EmbedBatch(batch, destination.Slice(start * dims, count * dims));
        }
    }

    /// <summary>Runs the model on already tokenized texts and pools into <paramref name="destination"/> (row-major).</summary>
    internal void EmbedBatch(TokenBatch batch, Span<float> destination)
    {
        int dims = Info.Dimensions;
        var shape = batch.Shape;
        int length = batch.Count * batch.SequenceLength;
        Span<OrtInput> inputs =
        [
            OrtInput.Int64Tensor("input_ids", batch.InputIds, length, shape),
            OrtInput.Int64Tensor("attention_mask", batch.AttentionMask, length, shape),
            OrtInput.Int64Tensor("token_type_ids", batch.TokenTypeIds, length, shape),
        ];
        using var result = _session.Run(_feedsTokenTypes ? inputs : inputs[..2], _outputName);
        var output = result[0];
        var values = output.GetFloats();
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

    private void Pool(ReadOnlySpan<float> hidden, TokenBatch batch, Span<float> destination)
    {
        int dims = Info.Dimensions;
        int rowStride = batch.SequenceLength * dims;
        for (int row = 0; row < batch.Count; row++)
        {
            var vector = destination.Slice(row * dims, dims);
            var tokens = hidden.Slice(row * rowStride, rowStride);
            if (_folder.Pooling == PoolingMode.ClassifierToken)
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

    private static string[] WithPrompt(string prompt, ReadOnlySpan<string> texts)
    {
        var prefixed = new string[texts.Length];
        for (int i = 0; i < texts.Length; i++)
        {
            prefixed[i] = prompt + texts[i];
        }

        return prefixed;
    }

    private static (bool FeedsTokenTypes, string[] Output, bool Pooled, int? Dimension) CheckSignature(OrtSession session)
    {
        var byName = session.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        bool Int64Matrix(string name) => byName.TryGetValue(name, out var info) && info.IsTensor && info.ElementType == OrtElementType.Int64 && info.Shape.Count == 2;
        var unexpected = session.Inputs.Where(i => i.Name is not ("input_ids" or "attention_mask" or "token_type_ids")).ToList();
        if (!Int64Matrix("input_ids") || !Int64Matrix("attention_mask") || (byName.ContainsKey("token_type_ids") && !Int64Matrix("token_type_ids")) || unexpected.Count > 0)
        {
            throw new NotSupportedException(
                $"ONNX model '{session.ModelPath}' has an unsupported input signature ({string.Join("; ", session.Inputs)}). {Fix}");
        }

        var hiddenState = session.Outputs.FirstOrDefault(o => HiddenStateOutputNames.Contains(o.Name) && IsFloat(o, rank: 3))
            ?? session.Outputs.FirstOrDefault(o => IsFloat(o, rank: 3));
        if (hiddenState is not null)
        {
            return (byName.ContainsKey("token_type_ids"), [hiddenState.Name], false, StaticDimension(hiddenState.Shape[2]));
        }

        var pooled = session.Outputs.FirstOrDefault(o => o.Name == "sentence_embedding" && IsFloat(o, rank: 2));
        if (pooled is not null)
        {
            return (byName.ContainsKey("token_type_ids"), [pooled.Name], true, StaticDimension(pooled.Shape[1]));
        }

        throw new NotSupportedException(
            $"ONNX model '{session.ModelPath}' has an unsupported output signature ({string.Join("; ", session.Outputs)}). {Fix}");
    }

    private static bool IsFloat(OrtTensorInfo info, int rank) => info.IsTensor && info.ElementType == OrtElementType.Float && info.Shape.Count == rank;

    private static int? StaticDimension(long dimension) => dimension > 0 ? (int)dimension : null;
}
