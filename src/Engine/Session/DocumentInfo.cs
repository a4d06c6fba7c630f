namespace MossGrains.Engine.Session;

/// <summary>A document (chunk) stored in a session index.</summary>
/// <param name="Id">Unique id within the index; 1..<see cref="SessionIndexOptions.MaxIdLength"/> characters.</param>
/// <param name="Text">The text that is embedded and keyword-indexed; at most <see cref="SessionIndexOptions.MaxTextLength"/> characters.</param>
/// <param name="Metadata">Optional string → string attributes that filters match against.</param>
/// <param name="Embedding">
/// Optional caller-computed vector. Accepted only when <see cref="SessionIndex.AcceptsCallerEmbeddings"/> is true;
/// it must have the index's dimension and contain only finite values, not all zero.
/// </param>
public sealed record DocumentInfo(
    string Id,
    string Text,
    IReadOnlyDictionary<string, string>? Metadata = null,
#pragma warning disable CA1819 // a plain array is the natural wire shape for an embedding
    float[]? Embedding = null);
#pragma warning restore CA1819
