using MossGrains.Engine.Embedding;

namespace MossGrains.Engine.Tests.TestDoubles;

/// <summary>
/// The hashed bag-of-words model with batches of 2, plus a hook that runs before each document batch is
/// embedded (1-based count since the hook was set), so a test can fail or cancel an AddDocs half-way through.
/// Like the ONNX embedder it takes a whole write in one call, batches it itself and checks the token between batches.
/// </summary>
internal sealed class InterruptingEmbedder : TextEmbedderBase
{
    private readonly HashedBagOfWordsEmbedder _inner = new();
    private Action<int>? _beforeDocumentBatch;
    private int _documentBatches;

    public InterruptingEmbedder() => Info = _inner.Info with { MaxBatchSize = 2 };

    public override EmbedderInfo Info { get; }

    /// <summary>Document batches embedded (or attempted) since the hook was last set.</summary>
    public int DocumentBatches => Volatile.Read(ref _documentBatches);

    public void BeforeDocumentBatch(Action<int>? hook)
    {
        _beforeDocumentBatch = hook;
        Volatile.Write(ref _documentBatches, 0);
    }

    public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        int dims = Info.Dimensions;
        for (int start = 0; start < texts.Length; start += Info.MaxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (purpose == EmbeddingPurpose.Document)
            {
                int call = Interlocked.Increment(ref _documentBatches);
                _beforeDocumentBatch?.Invoke(call);
            }

            int count = Math.Min(Info.MaxBatchSize, texts.Length - start);
            _inner.Embed(texts.Slice(start, count), destination.Slice(start * dims, count * dims), purpose, cancellationToken);
        }
    }
}
