using System.Diagnostics.CodeAnalysis;
using MossGrains.Engine.Analysis;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Persistence;
using MossGrains.Engine.Snapshots;
using MossGrains.Engine.Storage;
using MossGrains.Engine.Vectors;

namespace MossGrains.Engine.Session;

/// <summary>
/// An in-memory session index: documents embedded locally (or vectors supplied by the caller), answered by
/// semantic, keyword (BM25) or hybrid queries. Thread-safe: queries run on an immutable snapshot and never
/// wait; writes are serialised and publish the next snapshot with one atomic reference swap.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The semaphores never create a wait handle, so they hold nothing to dispose.")]
public sealed partial class SessionIndex
{
    /// <summary>Model id of an index whose vectors are all supplied by the caller.</summary>
    public const string CustomModelId = "custom";

    /// <summary>Alpha of custom mode, where no model has measured one.</summary>
    public const float CustomModeDefaultAlpha = 0.5f;

    private readonly ITextEmbedder? _embedder;
    private readonly SessionIndexOptions _options;
    private readonly QueryExecutor _executor;
    private readonly TextAnalyzer _analyzer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly float _defaultAlpha;
    private IndexSnapshot _current;

    /// <summary>Creates an empty index.</summary>
    /// <param name="name">The index (session) name reported in results.</param>
    /// <param name="options">Limits and tuning; null = defaults.</param>
    /// <param name="embedder">The model that embeds documents and queries; null (or a model whose
    /// <see cref="EmbedderInfo.RequiresCallerVectors"/> is true) = custom mode, where every document and semantic query
    /// carries a caller-computed vector and the first document fixes the dimension.</param>
    public SessionIndex(string name, ITextEmbedder? embedder, SessionIndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _options = options ?? new SessionIndexOptions();
        _options.Validate();
        Name = name;
        _embedder = embedder is { Info.RequiresCallerVectors: true } ? null : embedder;
        ModelId = embedder?.Info.ModelId ?? CustomModelId;
        _defaultAlpha = _options.DefaultAlpha ?? _embedder?.Info.DefaultAlpha ?? CustomModeDefaultAlpha;
        _analyzer = new TextAnalyzer(_options.Stopwords, _options.Stemming);
        _executor = new QueryExecutor(_options, _analyzer);
        _current = IndexSnapshot.Empty(_embedder is null ? null : NewGraph(_embedder.Info.Dimensions));
    }

    public string Name { get; }

    /// <summary>The embedding model id, or <see cref="CustomModelId"/>; index binaries record it.</summary>
    public string ModelId { get; }

    /// <summary>Vector dimension; 0 in custom mode until the first document arrives.</summary>
    public int Dimensions => _embedder?.Info.Dimensions ?? Volatile.Read(ref _current).Vectors?.Dimensions ?? 0;

    /// <summary>Number of live documents in the current snapshot.</summary>
    public int DocCount => Volatile.Read(ref _current).LiveCount;

    /// <summary>
    /// Whether <see cref="DocumentInfo.Embedding"/> and <see cref="QueryOptions.Embedding"/> may be set: always in
    /// custom mode; with a model only when <see cref="SessionIndexOptions.AllowCallerEmbeddings"/> is true, and then
    /// only vectors of the model's dimension. Anything else is rejected with an <see cref="ArgumentException"/>.
    /// </summary>
    public bool AcceptsCallerEmbeddings => _embedder is null || _options.AllowCallerEmbeddings;

    /// <summary>
    /// Alpha used when a query sets none: <see cref="SessionIndexOptions.DefaultAlpha"/> if set, else the model's measured
    /// <see cref="EmbedderInfo.DefaultAlpha"/>, else (custom mode) <see cref="CustomModeDefaultAlpha"/>.
    /// </summary>
    public float DefaultAlpha => _defaultAlpha;

    /// <summary>
    /// Adds or replaces documents. The batch is validated, embedded and analysed before anything changes; on any
    /// error (or cancellation) the index is left exactly as it was.
    /// </summary>
    public Task<(int Added, int Updated)> AddDocsAsync(IEnumerable<DocumentInfo> docs, MutationOptions? options = null, CancellationToken cancellationToken = default) =>
        AddCoreAsync(docs, options, AcceptsCallerEmbeddings, cancellationToken);

    /// <summary>
    /// Applies documents again with the vectors this index's model already gave them (<see cref="DocumentInfo.Embedding"/>,
    /// as <see cref="GetDocsAsync"/> returns them): a write-ahead log replay. Vectors are accepted whatever
    /// <see cref="SessionIndexOptions.AllowCallerEmbeddings"/> says (they must have the model's dimension); only documents
    /// without one are embedded.
    /// </summary>
    public Task<(int Added, int Updated)> ReplayDocsAsync(IEnumerable<DocumentInfo> docs, MutationOptions? options = null, CancellationToken cancellationToken = default) =>
        AddCoreAsync(docs, options, acceptsVectors: true, cancellationToken);

    private async Task<(int Added, int Updated)> AddCoreAsync(IEnumerable<DocumentInfo> docs, MutationOptions? options, bool acceptsVectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docs);
        var batch = docs as IReadOnlyList<DocumentInfo> ?? [.. docs];
        if (batch.Count == 0)
        {
            return (0, 0);
        }

        (int Added, int Updated) result;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var current = Volatile.Read(ref _current);
            int dimensions = DocumentBatchValidator.Validate(
                batch, current, _options, options?.Upsert ?? true, acceptsVectors, _embedder is null, Dimensions);
            var vectors = EmbedDocuments(batch, dimensions, cancellationToken);
            var prepared = new PreparedDoc[batch.Count];
            for (int i = 0; i < batch.Count; i++)
            {
                prepared[i] = new PreparedDoc(batch[i].Id, batch[i].Text, batch[i].Metadata, _analyzer.Analyze(batch[i].Text));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var (next, added, updated) = SnapshotBuilder.Add(current, prepared, vectors, dimensions, NewGraph);
            PublishWrite(current, next);
            result = (added, updated);
        }
        finally
        {
            _writeLock.Release();
        }

        ScheduleGraphIndexing();
        return result;
    }

    /// <summary>Runs a semantic, keyword or hybrid query (see <see cref="QueryOptions.Alpha"/>) on the current snapshot.</summary>
    public Task<SearchResult> QueryAsync(string text, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        long started = _options.TimeProvider.GetTimestamp();
        options ??= new QueryOptions();
        float alpha = ValidateQuery(text, options);
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = Volatile.Read(ref _current);
        var queryVector = alpha > 0 ? QueryVector(text, options, cancellationToken) : [];
        var ranked = _executor.Execute(snapshot, text, queryVector, alpha, options.TopK, options.Filter);
        var docs = new QueryResultDocumentInfo[ranked.Length];
        for (int i = 0; i < ranked.Length; i++)
        {
            var stored = snapshot.Docs[ranked[i].Slot];
            docs[i] = new QueryResultDocumentInfo(stored.Id, stored.Text, stored.Metadata, ranked[i].Score);
        }

        double elapsed = _options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
        return Task.FromResult(new SearchResult(docs, text, Name, elapsed));
    }

    /// <summary>Returns every live document in insertion order (a replaced document counts as newly inserted), or the requested ids in request order (unknown ids skipped).</summary>
    public Task<IReadOnlyList<DocumentInfo>> GetDocsAsync(GetDocumentsOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = Volatile.Read(ref _current);
        IEnumerable<int> slots;
        if (options?.DocIds is { } ids)
        {
            var wanted = new List<int>(ids.Count);
            for (int i = 0; i < ids.Count; i++)
            {
                if (ids[i] is null)
                {
                    throw new ArgumentNullException($"options.DocIds[{i}]", "Ids must not be null.");
                }

                if (snapshot.TryGetSlot(ids[i], out int slot))
                {
                    wanted.Add(slot);
                }
            }

            slots = wanted;
        }
        else
        {
            slots = Enumerable.Range(0, snapshot.SlotCount).Where(s => !snapshot.Deleted.Contains(s));
        }

        bool withVectors = options?.IncludeEmbeddings == true && snapshot.Vectors is not null;
        var result = new List<DocumentInfo>();
        foreach (int slot in slots)
        {
            var stored = snapshot.Docs[slot];
            result.Add(new DocumentInfo(stored.Id, stored.Text, stored.Metadata, withVectors ? snapshot.Vectors![slot].ToArray() : null));
        }

        return Task.FromResult<IReadOnlyList<DocumentInfo>>(result);
    }

    /// <summary>Deletes the documents with the given ids; unknown ids are ignored. Returns how many were deleted.</summary>
    public async Task<int> DeleteDocsAsync(IEnumerable<string> docIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(docIds);
        var ids = docIds as IReadOnlyList<string> ?? [.. docIds];
        if (ids.Count > _options.MaxDeleteBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(docIds), ids.Count, $"At most {_options.MaxDeleteBatchSize} ids per call (SessionIndexOptions.MaxDeleteBatchSize).");
        }

        for (int i = 0; i < ids.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ids[i]))
            {
                throw new ArgumentException($"docIds[{i}] must not be null, empty or whitespace only.", $"docIds[{i}]");
            }
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var current = Volatile.Read(ref _current);
            var (next, deleted) = SnapshotBuilder.Delete(current, ids);
            PublishWrite(current, next);
            return deleted;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Writes the index binary (see docs/engine.md): header with format version, model id, keyword-analysis settings, dimensions and doc count,
    /// the documents, vectors, keyword postings and HNSW graph, and a SHA-256 checksum. It first links any documents the
    /// background indexer has not reached, so a loaded index never rebuilds its graph. Writes wait while it runs; queries do not.
    /// </summary>
    public async Task SaveAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _graphIndexerFault?.Throw();
        await _graphLock.WaitAsync(cancellationToken);
        try
        {
            LinkPendingNodes(cancellationToken);
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                var header = new IndexHeader(IndexBinaryFormat.CurrentVersion, ModelId, Dimensions, _current.LiveCount, Name, _analyzer.Settings);
                await IndexBinaryWriter.WriteAsync(_current, header, destination, cancellationToken);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            _graphLock.Release();
        }
    }

    /// <summary>
    /// Replaces this index's contents with an index binary. The whole file is read and verified (checksum, version,
    /// model id, dimensions, keyword-analysis settings) before the new snapshot is published, so a bad file throws <see cref="IndexFormatException"/>
    /// and leaves the index untouched. Never re-embeds.
    /// </summary>
    public async Task LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await LoadAsync(await ReadAllAsync(source, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// <see cref="LoadAsync(Stream, CancellationToken)"/> from bytes already in memory (a store's download), without
    /// copying them; the index does not keep the array.
    /// </summary>
    public async Task LoadAsync(byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var expected = new IndexHeaderExpectation(ModelId, _embedder?.Info.Dimensions, _analyzer.Settings);
        var loaded = IndexBinaryReader.Read(bytes, expected, cancellationToken);
        await _graphLock.WaitAsync(cancellationToken);
        try
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                Volatile.Write(ref _current, loaded);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            _graphLock.Release();
        }

        ScheduleGraphIndexing();
    }

    /// <summary>
    /// Publishes a writer's snapshot (the caller holds the write lock). The background linker publishes graph
    /// progress without that lock, so <paramref name="basis"/> may have been superseded by a snapshot that differs
    /// only in <c>GraphCount</c>/<c>Entry</c>; that progress is carried over instead of being lost.
    /// </summary>
    private void PublishWrite(IndexSnapshot basis, IndexSnapshot next)
    {
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _current, next, basis);
            if (ReferenceEquals(seen, basis))
            {
                return;
            }

            next = next.WithGraphProgress(seen.GraphCount, seen.Entry);
            basis = seen;
        }
    }

    private HnswGraph NewGraph(int dimensions) => new(new VectorArena(dimensions), _options.HnswM, _options.HnswEfConstruction);

    private float ValidateQuery(string text, QueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (options.Embedding is null && string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("The query text must not be empty (or supply QueryOptions.Embedding).", nameof(text));
        }

        if (text.Length > _options.MaxQueryLength)
        {
            throw new ArgumentException($"The query is {text.Length} characters; the limit is {_options.MaxQueryLength} (SessionIndexOptions.MaxQueryLength).", nameof(text));
        }

        if (options.TopK <= 0 || options.TopK > _options.MaxTopK)
        {
            throw new ArgumentOutOfRangeException("options.TopK", options.TopK, $"TopK must be between 1 and {_options.MaxTopK} (SessionIndexOptions.MaxTopK).");
        }

        float alpha = options.Alpha ?? DefaultAlpha;
        if (!(alpha is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException("options.Alpha", alpha, "Alpha must be within [0, 1] (1 = semantic only, 0 = keyword only).");
        }

        if (options.Embedding is { } embedding)
        {
            if (!AcceptsCallerEmbeddings)
            {
                throw new ArgumentException(
                    $"QueryOptions.Embedding was given, but model {ModelId} embeds queries itself (SessionIndexOptions.AllowCallerEmbeddings is false).", "options.Embedding");
            }

            VectorValidation.Check(embedding, Dimensions, "options.Embedding");
        }
        else if (_embedder is null && alpha > 0)
        {
            throw new ArgumentException("In custom mode a semantic or hybrid query needs QueryOptions.Embedding; use Alpha = 0 for keyword only.", "options.Embedding");
        }

        return alpha;
    }

    private float[] QueryVector(string text, QueryOptions options, CancellationToken cancellationToken)
    {
        if (options.Embedding is { } supplied)
        {
            var copy = new float[supplied.Length];
            UnitVector.Normalize(supplied, copy);
            return copy;
        }

        var vector = new float[_embedder!.Info.Dimensions];
        _embedder.Embed([text], vector, EmbeddingPurpose.Query, cancellationToken);
        UnitVector.Normalize(vector, vector);
        return vector;
    }

    /// <summary>Row-major vectors for the batch: the caller's where given, the model's otherwise (stored normalised later).</summary>
    private float[] EmbedDocuments(IReadOnlyList<DocumentInfo> batch, int dimensions, CancellationToken cancellationToken)
    {
        if (dimensions == 0)
        {
            return [];
        }

        var vectors = new float[batch.Count * dimensions];
        var toEmbed = new List<int>();
        for (int i = 0; i < batch.Count; i++)
        {
            if (batch[i].Embedding is { } supplied)
            {
                supplied.CopyTo(vectors, i * dimensions);
            }
            else
            {
                toEmbed.Add(i);
            }
        }

        if (toEmbed.Count == 0)
        {
            return vectors;
        }

        // One call for the whole write: the embedder batches it itself (the ONNX embedder sorts by length, pads per
        // batch and runs batches on every core) and checks the token between batches.
        var texts = toEmbed.Select(i => batch[i].Text).ToArray();
        var buffer = new float[texts.Length * dimensions];
        _embedder!.Embed(texts, buffer, EmbeddingPurpose.Document, cancellationToken);
        for (int j = 0; j < texts.Length; j++)
        {
            buffer.AsSpan(j * dimensions, dimensions).CopyTo(vectors.AsSpan(toEmbed[j] * dimensions));
        }

        return vectors;
    }

    private static async Task<byte[]> ReadAllAsync(Stream source, CancellationToken cancellationToken)
    {
        if (source.CanSeek)
        {
            var bytes = new byte[source.Length - source.Position];
            await source.ReadExactlyAsync(bytes, cancellationToken);
            return bytes;
        }

        using var buffer = new MemoryStream();
        await source.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
