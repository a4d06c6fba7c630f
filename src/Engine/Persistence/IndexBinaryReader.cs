using System.Security.Cryptography;
using MossGrains.Engine.Analysis;
using MossGrains.Engine.Keyword;
using MossGrains.Engine.Snapshots;
using MossGrains.Engine.Storage;
using MossGrains.Engine.Vectors;

namespace MossGrains.Engine.Persistence;

/// <summary>
/// Parses and verifies a whole index binary into a fresh snapshot. Every check (magic, version, length,
/// checksum, model, structure) happens before the caller publishes anything, so a bad file is never half-loaded.
/// </summary>
internal static class IndexBinaryReader
{
    public static IndexSnapshot Read(byte[] bytes, IndexHeaderExpectation expected, CancellationToken cancellationToken)
    {
        var reader = new PayloadReader(bytes, 0, bytes.Length);
        var header = IndexBinaryHeader.Read(bytes, reader);
        var (modelId, analyzer, dimensions, docCount, slotCount, payloadLength) =
            (header.ModelId, header.Analyzer, header.Dimensions, header.DocCount, header.SlotCount, header.PayloadLength);
        long expectedLength = reader.Position + payloadLength + IndexBinaryFormat.ChecksumLength;
        if (payloadLength < 0 || bytes.Length < expectedLength)
        {
            throw new IndexFormatException($"Index binary is truncated: {bytes.Length} bytes, header announces {expectedLength}.");
        }

        if (bytes.Length > expectedLength)
        {
            throw new IndexFormatException($"Index binary has {bytes.Length - expectedLength} unexpected trailing bytes.");
        }

        int checksumStart = (int)(expectedLength - IndexBinaryFormat.ChecksumLength);
        var actual = SHA256.HashData(bytes.AsSpan(0, checksumStart));
        if (!actual.AsSpan().SequenceEqual(bytes.AsSpan(checksumStart)))
        {
            throw new IndexFormatException("Index binary is corrupted: SHA-256 checksum mismatch.");
        }

        if (!string.Equals(modelId, expected.ModelId, StringComparison.Ordinal))
        {
            throw new IndexFormatException($"Index binary was built with model \"{modelId}\"; this index uses \"{expected.ModelId}\".");
        }

        if (expected.Dimensions is { } dims && dims != dimensions)
        {
            throw new IndexFormatException($"Index binary has {dimensions}-dimensional vectors; this index's model produces {dims}.");
        }

        if (analyzer != expected.Analyzer)
        {
            throw new IndexFormatException(
                $"Index binary was saved with keyword analysis [{analyzer}]; this index uses [{expected.Analyzer}]. " +
                "Load it into an index whose SessionIndexOptions.Stemming and Stopwords match the saved ones, or add the documents again to rebuild its keyword postings.");
        }

        if (dimensions < 0 || slotCount < 0 || docCount < 0 || docCount > slotCount)
        {
            throw new IndexFormatException("Index binary is corrupted: impossible header counts.");
        }

        var payload = new PayloadReader(bytes, reader.Position, checksumStart);
        var snapshot = ReadPayload(payload, slotCount, dimensions, cancellationToken);
        if (snapshot.LiveCount != docCount)
        {
            throw new IndexFormatException($"Index binary is corrupted: header says {docCount} documents, payload holds {snapshot.LiveCount}.");
        }

        if (payload.Remaining != 0)
        {
            throw new IndexFormatException("Index binary is corrupted: payload longer than its contents.");
        }

        return snapshot;
    }

    private static IndexSnapshot ReadPayload(PayloadReader reader, int slotCount, int dimensions, CancellationToken cancellationToken)
    {
        var docs = new ChunkedArena<StoredDoc>();
        var termCounts = new ChunkedArena<int>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var deleted = new ulong[(slotCount >> 6) + 1];
        var deadDoc = new StoredDoc(string.Empty, string.Empty, null);
        docs.EnsureCapacity(slotCount);
        termCounts.EnsureCapacity(slotCount);
        for (int slot = 0; slot < slotCount; slot++)
        {
            bool live = reader.ReadBoolean();
            termCounts.Set(slot, reader.ReadCount(int.MaxValue, "term"));
            if (!live)
            {
                deleted[slot >> 6] |= 1UL << slot;
                docs.Set(slot, deadDoc);
                continue;
            }

            string id = reader.ReadString();
            string text = reader.ReadString();
            int metadataCount = reader.ReadInt32();
            Dictionary<string, string>? metadata = metadataCount switch
            {
                -1 => null,
                >= 0 and <= 1_000_000 => new Dictionary<string, string>(metadataCount, StringComparer.Ordinal),
                _ => throw new IndexFormatException($"Index binary is corrupted: metadata count {metadataCount}."),
            };
            for (int i = 0; i < metadataCount; i++)
            {
                string key = reader.ReadString();
                if (!metadata!.TryAdd(key, reader.ReadString()))
                {
                    throw new IndexFormatException($"Index binary is corrupted: duplicate metadata key \"{key}\".");
                }
            }

            if (!ids.TryAdd(id, slot))
            {
                throw new IndexFormatException($"Index binary is corrupted: duplicate document id \"{id}\".");
            }

            docs.Set(slot, new StoredDoc(id, text, StoredDoc.CopyMetadata(metadata)));
            if ((slot & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        long totalTerms = reader.ReadInt64();
        HnswGraph? graph = null;
        var entry = HnswEntry.None;
        int graphCount = 0;
        if (reader.ReadBoolean())
        {
            if (dimensions <= 0)
            {
                throw new IndexFormatException("Index binary is corrupted: vectors without a dimension.");
            }

            var vectors = new VectorArena(dimensions);
            for (int chunk = 0, first = 0; first < slotCount; chunk++, first += VectorArena.VectorsPerChunk)
            {
                reader.ReadFloats(vectors.RawRowsOfChunk(chunk, Math.Min(VectorArena.VectorsPerChunk, slotCount - first)));
            }

            int m = reader.ReadInt32();
            int efConstruction = reader.ReadInt32();
            if (m is < 2 or > 128 || efConstruction <= 0)
            {
                throw new IndexFormatException($"Index binary is corrupted: HNSW parameters M={m}, efConstruction={efConstruction}.");
            }

            graph = new HnswGraph(vectors, m, efConstruction);
            graphCount = reader.ReadCount(slotCount, "linked node");
            entry = ReadGraph(reader, graph, graphCount);
        }

        var keywords = ReadPostings(reader, slotCount);
        var metadataIndex = ReadPostings(reader, slotCount);

        return new IndexSnapshot
        {
            SlotCount = slotCount,
            Docs = docs,
            TermCounts = termCounts,
            Deleted = BitSet.FromWords(deleted),
            Ids = IdMap.FromDictionary(ids),
            LiveCount = ids.Count,
            Keywords = keywords,
            MetadataIndex = metadataIndex,
            TotalTerms = totalTerms,
            Graph = graph,
            Entry = entry,
            GraphCount = graphCount,
        };
    }

    private static KeywordIndex ReadPostings(PayloadReader reader, int slotCount)
    {
        int docCount = reader.ReadCount(slotCount, "indexed document");
        int termCount = reader.ReadCount(int.MaxValue, "term");
        var postings = new Dictionary<string, Postings>(Math.Min(termCount, reader.Remaining), StringComparer.Ordinal);
        for (int t = 0; t < termCount; t++)
        {
            string term = reader.ReadString();
            int length = reader.ReadCount(slotCount, "posting");
            var slots = reader.ReadInt32Array(length);
            var frequencies = reader.ReadInt32Array(length);
            if (Array.Exists(slots, s => (uint)s >= (uint)slotCount) || !postings.TryAdd(term, new Postings(slots, frequencies)))
            {
                throw new IndexFormatException($"Index binary is corrupted: bad postings for term \"{term}\".");
            }
        }

        return termCount == 0 ? KeywordIndex.Empty : KeywordIndex.FromSegment(KeywordSegment.FromPostings(postings, docCount));
    }

    private static HnswEntry ReadGraph(PayloadReader reader, HnswGraph graph, int slotCount)
    {
        var entry = new HnswEntry(reader.ReadInt32(), reader.ReadInt32());
        if (slotCount == 0 ? entry.Node != -1 : entry.Node < 0 || entry.Node >= slotCount)
        {
            throw new IndexFormatException("Index binary is corrupted: bad HNSW entry point.");
        }

        for (int slot = 0; slot < slotCount; slot++)
        {
            int levels = reader.ReadByte();
            if (levels is 0 or > 17)
            {
                throw new IndexFormatException($"Index binary is corrupted: node {slot} has {levels} levels.");
            }

            var links = new int[levels][];
            for (int level = 0; level < levels; level++)
            {
                var neighbours = reader.ReadInt32Array(reader.ReadCount(2 * graph.M, "neighbour"));
                if (Array.Exists(neighbours, n => (uint)n >= (uint)slotCount))
                {
                    throw new IndexFormatException($"Index binary is corrupted: node {slot} links outside the index.");
                }

                links[level] = neighbours;
            }

            graph.SetRawLinks(slot, links);
        }

        if (slotCount > 0 && graph.LevelOf(entry.Node) != entry.Level)
        {
            throw new IndexFormatException("Index binary is corrupted: HNSW entry level does not match its node.");
        }

        return entry;
    }
}
