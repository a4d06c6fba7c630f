using MossGrains.Grains.Sessions;

namespace MossGrains.Client.Sessions;

/// <summary>Refuses, before sending, a batch that cannot fit in one Orleans message.</summary>
internal static class BatchSize
{
    /// <summary>Bytes a batch takes on the wire at most: UTF-8 text (≤ 3 bytes per UTF-16 unit), vectors, framing.</summary>
    public static long Estimate(IReadOnlyList<DocumentRecord> docs)
    {
        long bytes = 64;
        foreach (var doc in docs)
        {
            bytes += 32 + 3L * ((doc.Id?.Length ?? 0) + (doc.Text?.Length ?? 0)) + 4L * (doc.Embedding?.Length ?? 0);
            if (doc.Metadata is not null)
            {
                foreach (var (name, value) in doc.Metadata)
                {
                    bytes += 8 + 3L * ((name?.Length ?? 0) + (value?.Length ?? 0));
                }
            }
        }

        return bytes;
    }

    public static void EnsureFits(IReadOnlyList<DocumentRecord> docs, long maxMessageBytes)
    {
        long size = Estimate(docs);
        if (size > maxMessageBytes)
        {
            throw new ArgumentException(
                $"The batch of {docs.Count} documents takes up to {size:N0} bytes; one call carries at most {maxMessageBytes:N0} bytes " +
                "(Orleans MessagingOptions.MaxMessageBodySize). Split it into smaller batches.",
                nameof(docs));
        }
    }
}
