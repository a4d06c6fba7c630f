using MossGrains.Engine.Snapshots;

namespace MossGrains.Engine.Session;

/// <summary>Validates a whole AddDocs batch before anything is changed; the first problem throws, naming the field and the limit.</summary>
internal static class DocumentBatchValidator
{
    /// <summary>Returns the vector dimension the batch implies (custom mode fixes it from the first document).</summary>
    public static int Validate(IReadOnlyList<DocumentInfo> docs, IndexSnapshot snapshot, SessionIndexOptions options, bool upsert, bool acceptsCallerEmbeddings, bool customMode, int dimensions)
    {
        if (docs.Count > options.MaxAddBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(docs), docs.Count, $"A batch holds at most {options.MaxAddBatchSize} documents (SessionIndexOptions.MaxAddBatchSize).");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < docs.Count; i++)
        {
            var doc = docs[i] ?? throw new ArgumentNullException($"docs[{i}]", "A batch must not contain null documents.");
            string idParam = $"docs[{i}].Id";
            if (string.IsNullOrEmpty(doc.Id))
            {
                throw new ArgumentException($"{idParam} must not be null or empty.", idParam);
            }

            if (doc.Id.Length > options.MaxIdLength)
            {
                throw new ArgumentException($"{idParam} is {doc.Id.Length} characters; the limit is {options.MaxIdLength} (SessionIndexOptions.MaxIdLength).", idParam);
            }

            if (!seen.Add(doc.Id))
            {
                throw new ArgumentException($"{idParam} \"{doc.Id}\" appears more than once in the batch.", idParam);
            }

            if (!upsert && snapshot.TryGetSlot(doc.Id, out _))
            {
                throw new ArgumentException($"{idParam} \"{doc.Id}\" already exists and Upsert is false.", idParam);
            }

            string textParam = $"docs[{i}].Text";
            if (doc.Text is null)
            {
                throw new ArgumentNullException(textParam, $"{textParam} must not be null.");
            }

            if (doc.Text.Length > options.MaxTextLength)
            {
                throw new ArgumentException($"{textParam} is {doc.Text.Length} characters; the limit is {options.MaxTextLength} (SessionIndexOptions.MaxTextLength).", textParam);
            }

            ValidateMetadata(doc, i, options);

            string embeddingParam = $"docs[{i}].Embedding";
            if (doc.Embedding is null)
            {
                if (customMode)
                {
                    throw new ArgumentException($"{embeddingParam} is required: this index is in custom mode (the caller supplies every vector).", embeddingParam);
                }

                continue;
            }

            if (!acceptsCallerEmbeddings)
            {
                throw new ArgumentException($"{embeddingParam} was given, but this index's model computes its own embeddings (SessionIndexOptions.AllowCallerEmbeddings is false).", embeddingParam);
            }

            VectorValidation.Check(doc.Embedding, dimensions, embeddingParam);
            dimensions = doc.Embedding.Length;
        }

        return dimensions;
    }

    private static void ValidateMetadata(DocumentInfo doc, int index, SessionIndexOptions options)
    {
        if (doc.Metadata is null)
        {
            return;
        }

        string param = $"docs[{index}].Metadata";
        if (doc.Metadata.Count > options.MaxMetadataEntries)
        {
            throw new ArgumentException($"{param} has {doc.Metadata.Count} entries; the limit is {options.MaxMetadataEntries} (SessionIndexOptions.MaxMetadataEntries).", param);
        }

        foreach (var (key, value) in doc.Metadata)
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                throw new ArgumentException($"{param} keys must be non-empty and values non-null (key \"{key}\").", param);
            }
        }
    }
}
