using MossGrains.Engine.Filtering;
using MossGrains.Engine.Keyword;
using MossGrains.Engine.Storage;
using MossGrains.Engine.Vectors;

namespace MossGrains.Engine.Snapshots;

/// <summary>A validated, embedded and analysed document ready to be written.</summary>
internal sealed record PreparedDoc(string Id, string Text, IReadOnlyDictionary<string, string>? Metadata, IReadOnlyList<string> Terms);

/// <summary>
/// Builds the next snapshot from the current one (writer only). New documents take fresh slots at the end
/// of the arenas; replaced and deleted documents become tombstones. New vectors are stored but linked into
/// the HNSW graph later, by the background indexer. Nothing here may fail half-way: callers validate, embed
/// and analyse first.
/// </summary>
internal static class SnapshotBuilder
{
    /// <summary>
    /// Appends <paramref name="docs"/> with their row-major <paramref name="vectors"/> (empty when the index has none);
    /// <paramref name="newGraph"/> creates the graph when the snapshot has none yet (custom mode's first vectors).
    /// </summary>
    public static (IndexSnapshot Next, int Added, int Updated) Add(
        IndexSnapshot current, IReadOnlyList<PreparedDoc> docs, ReadOnlySpan<float> vectors, int dimensions, Func<int, HnswGraph> newGraph)
    {
        int slot = current.SlotCount;
        var graph = current.Graph ?? (vectors.IsEmpty ? null : newGraph(dimensions));
        var ids = new Dictionary<string, int>(docs.Count, StringComparer.Ordinal);
        var replaced = new List<int>();
        long totalTerms = current.TotalTerms;
        var segmentDocs = new List<(int Slot, IReadOnlyList<string> Terms)>(docs.Count);
        var metadataDocs = new List<(int Slot, IReadOnlyList<string> Terms)>(docs.Count);
        for (int i = 0; i < docs.Count; i++, slot++)
        {
            var doc = docs[i];
            var metadata = StoredDoc.CopyMetadata(doc.Metadata);
            current.Docs.Set(slot, new StoredDoc(doc.Id, doc.Text, metadata));
            current.TermCounts.Set(slot, doc.Terms.Count);
            segmentDocs.Add((slot, doc.Terms));
            metadataDocs.Add((slot, MetadataTerms.For(metadata)));
            totalTerms += doc.Terms.Count;
            if (current.TryGetSlot(doc.Id, out int old))
            {
                replaced.Add(old);
                totalTerms -= current.TermCounts[old];
            }

            ids[doc.Id] = slot;
            graph?.Vectors.Set(slot, vectors.Slice(i * dimensions, dimensions));
        }

        var deleted = current.Deleted.With(replaced);
        var next = current with
        {
            SlotCount = slot,
            Deleted = deleted,
            Ids = current.Ids.WithSegment(ids, deleted),
            LiveCount = current.LiveCount + docs.Count - replaced.Count,
            Keywords = current.Keywords.WithSegment(KeywordSegment.Build(segmentDocs), deleted),
            MetadataIndex = current.MetadataIndex.WithSegment(KeywordSegment.Build(metadataDocs), deleted),
            TotalTerms = totalTerms,
            Graph = graph,
        };
        return (next, docs.Count - replaced.Count, replaced.Count);
    }

    public static (IndexSnapshot Next, int Deleted) Delete(IndexSnapshot current, IEnumerable<string> ids)
    {
        var slots = new HashSet<int>();
        long totalTerms = current.TotalTerms;
        foreach (var id in ids)
        {
            if (current.TryGetSlot(id, out int slot) && slots.Add(slot))
            {
                totalTerms -= current.TermCounts[slot];
            }
        }

        if (slots.Count == 0)
        {
            return (current, 0);
        }

        var next = current with
        {
            Deleted = current.Deleted.With(slots),
            LiveCount = current.LiveCount - slots.Count,
            TotalTerms = totalTerms,
        };
        return (next, slots.Count);
    }
}
