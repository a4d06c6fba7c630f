namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>
/// Lower-cases and removes Latin diacritics one character at a time (<c>É</c> → <c>e</c>). Needed
/// because the engine runs with invariant globalization, where <see cref="string.Normalize()"/> does not
/// decompose; covers Latin-1 Supplement and Latin Extended-A, other letters are only lower-cased.
/// </summary>
internal static class LatinFolding
{
    private const string Groups = "aàáâãäåāăą cçćĉċč dďđ eèéêëēĕėęě gĝğġģ hĥħ iìíîïĩīĭįı jĵ kķ lĺļľŀł nñńņň oòóôõöøōŏő rŕŗř sśŝşšſ tţťŧ uùúûüũūŭůűų wŵ yýÿŷ zźżž";
    private static readonly Dictionary<char, char> Folds = Build();

    public static char Fold(char c)
    {
        if (c < 128)
        {
            return c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }

        char lower = char.ToLowerInvariant(c);
        return Folds.TryGetValue(lower, out char folded) ? folded : lower;
    }

    private static Dictionary<char, char> Build()
    {
        var folds = new Dictionary<char, char>();
        foreach (var group in Groups.Split(' '))
        {
            for (int k = 1; k < group.Length; k++)
            {
                folds[group[k]] = group[0];
            }
        }

        return folds;
    }
}
