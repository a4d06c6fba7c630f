using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MossGrains.Engine.Keyword;
using MossGrains.Engine.Snapshots;

namespace MossGrains.Engine.Persistence;

/// <summary>Serialises one snapshot as an index binary: header, payload, SHA-256 of both.</summary>
internal static class IndexBinaryWriter
{
    public static async Task WriteAsync(IndexSnapshot snapshot, IndexHeader header, Stream destination, CancellationToken cancellationToken)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Index binaries are little-endian; big-endian hosts are not supported.");
        }

        long estimate = (long)snapshot.SlotCount * ((header.Dimensions * 4) + 256);
        using var buffer = new MemoryStream((int)Math.Min(estimate, Array.MaxLength));
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            WriteHeader(writer, header, snapshot.SlotCount);
            long payloadLengthPosition = buffer.Position;
            writer.Write(0L);
            long payloadStart = buffer.Position;
            WritePayload(writer, snapshot, header.Dimensions);
            writer.Flush();
            long payloadLength = buffer.Position - payloadStart;
            buffer.Position = payloadLengthPosition;
            writer.Write(payloadLength);
            writer.Flush();
            buffer.Position = buffer.Length;
        }

        var checksum = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(checksum);
        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken);
        await destination.FlushAsync(cancellationToken);
    }

    private static void WriteHeader(BinaryWriter writer, IndexHeader header, int slotCount)
    {
        writer.Write(IndexBinaryFormat.Magic);
        writer.Write(header.Version);
        writer.Write(header.ModelId);
        writer.Write(header.Name);
        writer.Write(header.Dimensions);
        writer.Write(header.DocCount);
        writer.Write(slotCount);
    }

    private static void WritePayload(BinaryWriter writer, IndexSnapshot snapshot, int dimensions)
    {
        int slots = snapshot.SlotCount;

        // Documents: a live flag per slot; dead slots keep only their vector (a graph waypoint).
        for (int slot = 0; slot < slots; slot++)
        {
            bool live = !snapshot.Deleted.Contains(slot);
            writer.Write(live);
            writer.Write(snapshot.TermCounts[slot]);
            if (!live)
            {
                continue;
            }

            var doc = snapshot.Docs[slot];
            writer.Write(doc.Id);
            writer.Write(doc.Text);
            var metadata = doc.Metadata;
            writer.Write(metadata?.Count ?? -1);
            foreach (var (key, value) in metadata ?? Enumerable.Empty<KeyValuePair<string, string>>())
            {
                writer.Write(key);
                writer.Write(value);
            }
        }

        writer.Write(snapshot.TotalTerms);

        // Vectors: raw little-endian floats, slot order.
        bool hasVectors = snapshot.Vectors is not null && dimensions > 0;
        writer.Write(hasVectors);
        if (hasVectors)
        {
            for (int slot = 0; slot < slots; slot++)
            {
                writer.Write(MemoryMarshal.AsBytes(snapshot.Vectors![slot]));
            }

            WriteGraph(writer, snapshot);
        }

        // Keyword and metadata postings of live slots, each merged into one segment.
        WritePostings(writer, snapshot.Keywords.Compacted(snapshot.Deleted));
        WritePostings(writer, snapshot.MetadataIndex.Compacted(snapshot.Deleted));
    }

    private static void WritePostings(BinaryWriter writer, KeywordSegment segment)
    {
        var terms = segment.Terms.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        writer.Write(segment.DocCount);
        writer.Write(terms.Count);
        foreach (var (term, postings) in terms)
        {
            writer.Write(term);
            writer.Write(postings.Slots.Length);
            writer.Write(MemoryMarshal.AsBytes(postings.Slots.AsSpan()));
            writer.Write(MemoryMarshal.AsBytes(postings.Frequencies.AsSpan()));
        }
    }

    private static void WriteGraph(BinaryWriter writer, IndexSnapshot snapshot)
    {
        var graph = snapshot.Graph!;
        int linked = snapshot.GraphCount;
        writer.Write(graph.M);
        writer.Write(graph.EfConstruction);
        writer.Write(linked);
        writer.Write(snapshot.Entry.Node);
        writer.Write(snapshot.Entry.Level);
        var kept = new List<int>();
        for (int slot = 0; slot < linked; slot++)
        {
            var links = graph.RawLinks(slot);
            writer.Write((byte)links.Length);
            foreach (var level in links)
            {
                // Links to nodes a later, unpublished write added are not part of this snapshot.
                kept.Clear();
                kept.AddRange(level.Where(n => n < linked));
                writer.Write(kept.Count);
                writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(kept)));
            }
        }
    }
}
