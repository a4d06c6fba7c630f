namespace MossGrains.Engine.Session;

/// <summary>Options for <see cref="SessionIndex.AddDocsAsync"/>.</summary>
public sealed class MutationOptions
{
    /// <summary>
    /// When true (the default) a document whose id already exists replaces it. When false a batch
    /// that names an existing id is rejected as a whole with an error naming that id.
    /// </summary>
    public bool Upsert { get; init; } = true;
}
