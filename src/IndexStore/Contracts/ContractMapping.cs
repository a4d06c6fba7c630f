using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.Contracts;

/// <summary>Conversions between the wire contracts (Grains.Abstractions) and the engine's types, both ways: the client maps out, the grain maps back.</summary>
public static class ContractMapping
{
    public static DocumentInfo[] ToEngine(IReadOnlyList<DocumentRecord> docs)
    {
        ArgumentNullException.ThrowIfNull(docs);
        var result = new DocumentInfo[docs.Count];
        for (int i = 0; i < docs.Count; i++)
        {
            result[i] = ToEngine(docs[i] ?? throw new ArgumentNullException($"docs[{i}]", "Documents must not be null."));
        }

        return result;
    }

    public static DocumentInfo ToEngine(DocumentRecord doc) => new(doc.Id, doc.Text, doc.Metadata, doc.Embedding);

    public static DocumentRecord ToContract(DocumentInfo doc) => new(doc.Id, doc.Text, Copy(doc.Metadata), doc.Embedding);

    public static QueryOptions ToEngine(SessionQuery query) => new()
    {
        TopK = query.TopK,
        Alpha = query.Alpha,
        Embedding = query.Embedding,
        Filter = string.IsNullOrWhiteSpace(query.FilterJson) ? null : Filter.Parse(query.FilterJson),
    };

    public static SessionQuery ToContract(string text, QueryOptions? options)
    {
        options ??= new QueryOptions();
        return new SessionQuery(text, options.TopK, options.Alpha, options.Filter?.ToJson(), options.Embedding);
    }

    public static SessionQueryResult ToContract(SearchResult result)
    {
        var docs = new ScoredDocument[result.Docs.Count];
        for (int i = 0; i < docs.Length; i++)
        {
            var doc = result.Docs[i];
            docs[i] = new ScoredDocument(doc.Id, doc.Text, Copy(doc.Metadata), doc.Score);
        }

        return new SessionQueryResult(docs, result.Query, result.IndexName, result.TimeTakenMs, result.Version);
    }

    public static SearchResult ToEngine(SessionQueryResult result) =>
        new([.. result.Docs.Select(d => new QueryResultDocumentInfo(d.Id, d.Text, d.Metadata, d.Score))], result.Query, result.IndexName, result.TimeTakenMs, result.Version);

    public static ServingVersion ToContract(IndexVersion version) => new(version.Id, version.Sequence, version.Length, version.Sha256, version.CreatedAt);

    public static IndexVersion ToStore(ServingVersion version) => new(version.Id, version.Sequence, version.Length, version.Sha256, version.CreatedAt);

    /// <summary>A plain dictionary: the serializer knows it, whatever read-only view the engine keeps.</summary>
    private static Dictionary<string, string>? Copy(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null ? null : new Dictionary<string, string>(metadata, StringComparer.Ordinal);
}
