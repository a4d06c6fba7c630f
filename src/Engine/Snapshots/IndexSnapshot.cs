using MossGrains.Engine.Filtering;
using MossGrains.Engine.Keyword;
using MossGrains.Engine.Storage;
using MossGrains.Engine.Vectors;

namespace MossGrains.Engine.Snapshots;

/// <summary>A stored document; <see cref="Metadata"/> is a private read-only copy, so callers cannot change it afterwards.</summary>
internal sealed record StoredDoc(string Id, string Text, IReadOnlyDictionary<string, string>? Metadata)
{
    public static MetadataValues? CopyMetadata(IEnumerable<KeyValuePair<string, string>>? metadata) =>
        metadata is null ? null : new MetadataValues(metadata);
}

/// <summary>
/// Everything one query sees, fixed at publication: slots below <see cref="SlotCount"/> of the
/// append-only arenas, the deleted-slot set, the id map, the keyword segments, the HNSW entry point.
/// A write builds the next snapshot (sharing all unchanged parts) and publishes it with one reference swap.
/// </summary>
internal sealed record IndexSnapshot
{
    public required int SlotCount { get; init; }

    public required ChunkedArena<StoredDoc> Docs { get; init; }

    /// <summary>Keyword terms per slot (BM25 document length).</summary>
    public required ChunkedArena<int> TermCounts { get; init; }

    public required BitSet Deleted { get; init; }

    public required IdMap Ids { get; init; }

    /// <summary>Number of live (not deleted) documents.</summary>
    public required int LiveCount { get; init; }

    public required KeywordIndex Keywords { get; init; }

    /// <summary>Metadata values as <see cref="Filtering.MetadataTerms"/>, for indexed <c>$eq</c> / <c>$in</c> filtering.</summary>
    public required KeywordIndex MetadataIndex { get; init; }

    /// <summary>Sum of <see cref="TermCounts"/> over live slots.</summary>
    public required long TotalTerms { get; init; }

    /// <summary>Null until the first vector arrives in custom mode.</summary>
    public HnswGraph? Graph { get; init; }

    public HnswEntry Entry { get; init; } = HnswEntry.None;

    /// <summary>Slots below this are linked into <see cref="Graph"/>; later slots are searched exactly until the background indexer links them.</summary>
    public int GraphCount { get; init; }

    public VectorArena? Vectors => Graph?.Vectors;

    public bool TryGetSlot(string id, out int slot) => Ids.TryGetSlot(id, Deleted, out slot);

    /// <summary>This snapshot with more slots linked into the graph.</summary>
    public IndexSnapshot WithGraphProgress(int graphCount, HnswEntry entry) => this with { GraphCount = graphCount, Entry = entry };

    public static IndexSnapshot Empty(HnswGraph? graph) => new()
    {
        SlotCount = 0,
        Docs = new ChunkedArena<StoredDoc>(),
        TermCounts = new ChunkedArena<int>(),
        Deleted = BitSet.Empty,
        Ids = IdMap.Empty,
        LiveCount = 0,
        Keywords = KeywordIndex.Empty,
        MetadataIndex = KeywordIndex.Empty,
        TotalTerms = 0,
        Graph = graph,
    };
}
