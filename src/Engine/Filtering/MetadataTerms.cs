using System.Globalization;

namespace MossGrains.Engine.Filtering;

/// <summary>
/// Terms under which a document's metadata is indexed, so <c>$eq</c> / <c>$in</c> filters look matching documents up
/// instead of scanning: <c>field NUL value</c> for the exact string, and <c>field SOH number</c> (round-trip format)
/// for values that parse as numbers, so <c>2020</c> finds <c>"2020.0"</c> as the numeric comparison rule requires.
/// </summary>
internal static class MetadataTerms
{
    public static string Exact(string field, string value) => string.Concat(field, "\0", value);

    public static string Numeric(string field, double value) => string.Concat(field, "\u0001", value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>The terms of a stored document's metadata (numbers as parsed once by <see cref="MetadataValues"/>).</summary>
    public static List<string> For(MetadataValues? metadata)
    {
        var terms = new List<string>();
        if (metadata is null)
        {
            return terms;
        }

        foreach (var (field, value, parsed) in metadata.Entries)
        {
            terms.Add(Exact(field, value));
            if (parsed is { } number)
            {
                terms.Add(Numeric(field, number));
            }
        }

        return terms;
    }
}
