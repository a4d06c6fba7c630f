using MossGrains.Cli.Input;

namespace MossGrains.Cli.Indexing;

/// <summary>Splits documents into add-docs jobs of at most <c>batch</c> documents whose request body stays under the server's limit.</summary>
public static class IndexPlan
{
    /// <summary>Bytes of a body around its documents: <c>{"docs":[…],"upsert":true,"model_id":"…"}</c>, with room to spare.</summary>
    private const int EnvelopeBytes = 1024;

    public static IReadOnlyList<IReadOnlyList<InputDocument>> Batches(IReadOnlyList<InputDocument> docs, int batch, long maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(docs);
        var batches = new List<IReadOnlyList<InputDocument>>();
        var current = new List<InputDocument>();
        long bytes = EnvelopeBytes;
        foreach (var doc in docs)
        {
            long docBytes = doc.Bytes + 1;
            if (EnvelopeBytes + docBytes > maxBodyBytes)
            {
                throw new InputException(
                    $"{doc.Source}: the document is {doc.Bytes:N0} bytes of JSON; with the request around it that is over the server's body limit of {maxBodyBytes:N0} bytes (--max-body-bytes, the server's Moss:Http:MaxRequestBodyBytes)");
            }

            if (current.Count > 0 && (current.Count >= batch || bytes + docBytes > maxBodyBytes))
            {
                batches.Add(current);
                current = [];
                bytes = EnvelopeBytes;
            }

            current.Add(doc);
            bytes += docBytes;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }
}
