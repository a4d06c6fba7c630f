using System.Text.RegularExpressions;
using MossGrains.Bench.Beir;

namespace MossGrains.Bench.Latency;

/// <summary>
/// Builds N unique real-text chunks from a BEIR corpus: every sentence of every title + abstract first
/// (split after '.', '?' or '!' followed by a space and an upper-case letter or digit), then the pairs of
/// consecutive sentences of each document, then triples, until N distinct chunks exist. Sentences shorter
/// than 20 characters are dropped.
/// </summary>
internal static partial class SentenceChunkCorpus
{
    public static List<string> Build(BeirDataset data, int count)
    {
        var documents = data.Corpus
            .Select(d => SentenceBoundary().Split(d.IndexedText).Select(s => s.Trim()).Where(s => s.Length >= 20).ToArray())
            .ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var chunks = new List<string>(count);
        for (int window = 1; window <= 4 && chunks.Count < count; window++)
        {
            foreach (var sentences in documents)
            {
                for (int start = 0; start + window <= sentences.Length && chunks.Count < count; start++)
                {
                    string chunk = string.Join(' ', sentences, start, window);
                    if (seen.Add(chunk))
                    {
                        chunks.Add(chunk);
                    }
                }
            }
        }

        if (chunks.Count < count)
        {
            throw new InvalidOperationException($"The corpus yields only {chunks.Count} unique chunks; {count} requested.");
        }

        return chunks;
    }

    [GeneratedRegex(@"(?<=[.?!])\s+(?=[A-Z0-9])")]
    private static partial Regex SentenceBoundary();
}
