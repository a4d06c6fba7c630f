namespace MossGrains.Engine.Session;

/// <summary>Options for <see cref="SessionIndex.GetDocsAsync"/>.</summary>
public sealed class GetDocumentsOptions
{
    /// <summary>Ids to fetch; null (the default) returns every document. Unknown ids are skipped.</summary>
    public IReadOnlyList<string>? DocIds { get; init; }

    /// <summary>When true the stored (L2-normalised) vectors are returned in <see cref="DocumentInfo.Embedding"/>. Default false.</summary>
    public bool IncludeEmbeddings { get; init; }
}
