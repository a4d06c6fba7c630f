using System.Collections.Frozen;

namespace MossGrains.Engine.Tokenization;

/// <summary>
/// Lookups over the generated Unicode tables (UnicodeTables.g.cs, from the ICU data of the Node
/// runtime transformers.js runs on): the BERT normaliser must classify and transform every code
/// point exactly as the reference does, independent of the .NET runtime's Unicode version and of
/// InvariantGlobalization (under which string.Normalize does nothing).
/// </summary>
internal static partial class UnicodeTables
{
    private const int HangulBase = 0xAC00;
    private const int HangulCount = 11172;
    private const int JamoLeadBase = 0x1100;
    private const int JamoVowelBase = 0x1161;
    private const int JamoTrailBase = 0x11A7;
    private const int JamoVowelCount = 21;
    private const int JamoTrailCount = 28;


    public static bool IsNonspacingMark(int codePoint) => codePoint >= 0x300 && InRanges(NonspacingMarksRanges, codePoint);

    public static bool IsUnicodePunctuation(int codePoint) => InRanges(PunctuationRanges, codePoint);

    /// <summary>General category Cc, Cf, Co or Cs.</summary>
    public static bool IsControlOrFormat(int codePoint) => InRanges(ControlsRanges, codePoint);

    public static bool IsCased(int codePoint) => InRanges(CasedRanges, codePoint);

    public static bool IsCaseIgnorable(int codePoint) => InRanges(CaseIgnorableRanges, codePoint);

    /// <summary>JavaScript's <c>\s</c> (WhiteSpace and LineTerminator), which also bounds <c>String.prototype.trim</c>.</summary>
    public static bool IsWhitespace(int codePoint) =>
        codePoint < 0x80 ? codePoint is ' ' or (>= '\t' and <= '\r') : InRanges(WhitespaceRanges, codePoint);

    /// <summary>The lower case of <paramref name="codePoint"/> when it differs (context-free; see final sigma in <see cref="BertNormalizer"/>).</summary>
    public static string? Lowercase(int codePoint) => Maps.Lowercases.GetValueOrDefault(codePoint);

    /// <summary>The canonical decomposition (NFD) of <paramref name="codePoint"/>, or null when it has none or is a Hangul syllable.</summary>
    public static string? Decomposition(int codePoint) => codePoint < 0xC0 ? null : Maps.Decompositions.GetValueOrDefault(codePoint);

    /// <summary>Appends the conjoining jamo of a Hangul syllable (Unicode's algorithmic decomposition); false for other code points.</summary>
    public static bool TryAppendHangulJamo(int codePoint, ref CharBuffer destination)
    {
        int s = codePoint - HangulBase;
        if ((uint)s >= HangulCount)
        {
            return false;
        }

        destination.Append((char)(JamoLeadBase + (s / (JamoVowelCount * JamoTrailCount))));
        destination.Append((char)(JamoVowelBase + (s % (JamoVowelCount * JamoTrailCount) / JamoTrailCount)));
        if (s % JamoTrailCount != 0)
        {
            destination.Append((char)(JamoTrailBase + (s % JamoTrailCount)));
        }

        return true;
    }

    private static bool InRanges(int[] ranges, int codePoint)
    {
        // ranges holds inclusive [first, last] pairs, ascending: find the last pair starting at or before codePoint.
        int lo = 0;
        int hi = (ranges.Length / 2) - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ranges[2 * mid] <= codePoint)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return hi >= 0 && codePoint <= ranges[(2 * hi) + 1];
    }

    private static FrozenDictionary<int, string> Zip(int[] keys, string[] values)
    {
        var map = new Dictionary<int, string>(keys.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            map[keys[i]] = values[i];
        }

        return map.ToFrozenDictionary();
    }

    /// <summary>Built on first use: the generated arrays (another file of this partial class) are initialised by then.</summary>
    private static class Maps
    {
        public static readonly FrozenDictionary<int, string> Decompositions = Zip(DecompositionKeys, DecompositionValues);
        public static readonly FrozenDictionary<int, string> Lowercases = Zip(LowercaseKeys, LowercaseValues);
    }
}
