using System.Security.Cryptography;
using System.Text;

namespace MossGrains.Engine.Analysis;

/// <summary>
/// Everything that decides which terms a <see cref="TextAnalyzer"/> produces, and so what the stored keyword
/// postings mean: the analyzer's own version, the stemming flag and the stopword set (as a count plus a
/// SHA-256 prefix of the sorted words). Index binaries record it; postings built under other settings would
/// silently never match a query, so a mismatch is refused on load.
/// </summary>
internal sealed record AnalyzerSettings(int Version, bool Stemming, int StopwordCount, string StopwordsHash)
{
    public static AnalyzerSettings Of(IReadOnlySet<string> stopwords, bool stemming) =>
        new(TextAnalyzer.Version, stemming, stopwords.Count, HashOf(stopwords));

    public override string ToString() =>
        $"analyzer v{Version}, stemming {(Stemming ? "on" : "off")}, {StopwordCount} stopwords (sha256 {StopwordsHash})";

    /// <summary>First 8 bytes (hex) of the SHA-256 of the ordinally sorted words, each followed by '\n'.</summary>
    private static string HashOf(IReadOnlySet<string> stopwords)
    {
        var text = new StringBuilder();
        foreach (var word in stopwords.Order(StringComparer.Ordinal))
        {
            text.Append(word).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }
}
