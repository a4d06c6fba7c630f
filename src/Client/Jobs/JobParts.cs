using MossGrains.Client.Sessions;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Sessions;

namespace MossGrains.Client.Jobs;

/// <summary>Splits a job's input into uploads that each fit in one message (and stay small enough to store as one record).</summary>
internal static class JobParts
{
    public const int MaxItemsPerPart = 1_000;

    public static IEnumerable<JobUpload> Of(IReadOnlyList<DocumentRecord> docs, long maxMessageBytes)
    {
        long budget = maxMessageBytes / 2, size = 0;
        var part = new List<DocumentRecord>();
        foreach (var doc in docs)
        {
            DocumentRecord[] one = [doc];
            long docSize = BatchSize.Estimate(one);
            if (part.Count > 0 && (part.Count == MaxItemsPerPart || size + docSize > budget))
            {
                yield return new JobUpload(Docs: [.. part]);
                part.Clear();
                size = 0;
            }

            BatchSize.EnsureFits(one, maxMessageBytes);
            part.Add(doc);
            size += docSize;
        }

        if (part.Count > 0)
        {
            yield return new JobUpload(Docs: [.. part]);
        }
    }

    public static IEnumerable<JobUpload> Of(IReadOnlyList<string> ids) =>
        ids.Chunk(MaxItemsPerPart * 10).Select(chunk => new JobUpload(Ids: chunk));
}
