using System.Collections.Frozen;

namespace MossGrains.Engine.Analysis;

/// <summary>Stopword sets for the keyword analyzer.</summary>
public static class EnglishStopwords
{
    /// <summary>
    /// The short English list classic search engines use for BM25 (33 function words such as
    /// "the", "of", "and"); short on purpose, because BM25's idf already discounts common words.
    /// </summary>
    public static IReadOnlySet<string> Default { get; } = new[]
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "to", "was", "will", "with",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>No stopwords: every token is indexed.</summary>
    public static IReadOnlySet<string> None { get; } = FrozenSet<string>.Empty;
}
