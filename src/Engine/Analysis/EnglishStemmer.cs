namespace MossGrains.Engine.Analysis;

/// <summary>
/// The Porter2 ("English") Snowball stemmer, written from the published algorithm description
/// (snowballstem.org/algorithms/english/stemmer.html). Input is a lowercase word; words that
/// contain anything but ASCII letters and apostrophes are returned unchanged.
/// </summary>
public static class EnglishStemmer
{
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        ["skis"] = "ski", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["idly"] = "idl", ["gently"] = "gentl", ["ugly"] = "ugli", ["early"] = "earli", ["only"] = "onli",
        ["singly"] = "singl", ["sky"] = "sky", ["news"] = "news", ["howe"] = "howe", ["atlas"] = "atlas",
        ["cosmos"] = "cosmos", ["bias"] = "bias", ["andes"] = "andes",
    };

    private static readonly HashSet<string> InvariantAfterStep1A = new(StringComparer.Ordinal)
    {
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    };

    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
        ("tional", "tion"), ("biliti", "ble"), ("lessli", "less"), ("entli", "ent"), ("ation", "ate"),
        ("alism", "al"), ("aliti", "al"), ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"),
        ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("izer", "ize"), ("ator", "ate"),
        ("alli", "al"), ("bli", "ble"), ("ogi", "og"), ("li", ""),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"),
        ("ative", ""), ("ical", "ic"), ("ness", ""), ("ful", ""),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous",
        "ive", "ize", "ion", "al", "er", "ic",
    ];

    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2 || !IsAsciiWord(word))
        {
            return word;
        }

        if (Exceptions.TryGetValue(word, out var exception))
        {
            return exception;
        }

        var w = new System.Text.StringBuilder(word);
        if (w[0] == '\'')
        {
            w.Remove(0, 1);
        }

        MarkConsonantY(w);
        Step0(w);
        int r1 = RegionR1(w);
        int r2 = RegionAfter(w, r1);

        Step1A(w);
        if (InvariantAfterStep1A.Contains(w.ToString()))
        {
            return w.ToString();
        }

        Step1B(w, r1);
        Step1C(w);
        ReplaceFirstMatch(w, Step2Rules, r1, step2: true);
        Step3(w, r1, r2);
        Step4(w, r2);
        Step5(w, r1, r2);
        w.Replace('Y', 'y');
        return w.ToString();
    }

    private static bool IsAsciiWord(string word)
    {
        foreach (char c in word)
        {
            if (c is not ((>= 'a' and <= 'z') or '\''))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static void MarkConsonantY(System.Text.StringBuilder w)
    {
        for (int i = 0; i < w.Length; i++)
        {
            if (w[i] == 'y' && (i == 0 || IsVowel(w[i - 1])))
            {
                w[i] = 'Y';
            }
        }
    }

    private static int RegionR1(System.Text.StringBuilder w)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["gener", "commun", "arsen"])
        {
            if (StartsWith(w, prefix))
            {
                return prefix.Length;
            }
        }

        return RegionAfter(w, 0);
    }

    /// <summary>Start of the region after the first non-vowel that follows a vowel, searching from <paramref name="start"/>.</summary>
    private static int RegionAfter(System.Text.StringBuilder w, int start)
    {
        for (int i = start + 1; i < w.Length; i++)
        {
            if (!IsVowel(w[i]) && IsVowel(w[i - 1]))
            {
                return i + 1;
            }
        }

        return w.Length;
    }

    private static void Step0(System.Text.StringBuilder w)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["'s'", "'s", "'"])
        {
            if (EndsWith(w, suffix))
            {
                w.Length -= suffix.Length;
                return;
            }
        }
    }

    private static void Step1A(System.Text.StringBuilder w)
    {
        if (EndsWith(w, "sses"))
        {
            w.Length -= 2;
        }
        else if (EndsWith(w, "ied") || EndsWith(w, "ies"))
        {
            w.Length -= w.Length > 4 ? 2 : 1;
        }
        else if (EndsWith(w, "us") || EndsWith(w, "ss"))
        {
            // unchanged
        }
        else if (EndsWith(w, "s"))
        {
            // delete if the part before the s holds a vowel that is not the letter just before it
            for (int i = 0; i < w.Length - 2; i++)
            {
                if (IsVowel(w[i]))
                {
                    w.Length -= 1;
                    return;
                }
            }
        }
    }

    private static void Step1B(System.Text.StringBuilder w, int r1)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["eedly", "eed"])
        {
            if (EndsWith(w, suffix))
            {
                if (w.Length - suffix.Length >= r1)
                {
                    w.Length -= suffix.Length;
                    w.Append("ee");
                }

                return;
            }
        }

        foreach (var suffix in (ReadOnlySpan<string>)["ingly", "edly", "ing", "ed"])
        {
            if (!EndsWith(w, suffix))
            {
                continue;
            }

            int stemLength = w.Length - suffix.Length;
            if (!ContainsVowel(w, stemLength))
            {
                return;
            }

            w.Length = stemLength;
            if (EndsWith(w, "at") || EndsWith(w, "bl") || EndsWith(w, "iz"))
            {
                w.Append('e');
            }
            else if (EndsWithDouble(w))
            {
                w.Length -= 1;
            }
            else if (IsShortWord(w, r1))
            {
                w.Append('e');
            }

            return;
        }
    }

    private static void Step1C(System.Text.StringBuilder w)
    {
        int last = w.Length - 1;
        if (last >= 2 && (w[last] == 'y' || w[last] == 'Y') && !IsVowel(w[last - 1]))
        {
            w[last] = 'i';
        }
    }

    private static void Step3(System.Text.StringBuilder w, int r1, int r2)
    {
        foreach (var (suffix, replacement) in Step3Rules)
        {
            if (!EndsWith(w, suffix))
            {
                continue;
            }

            int stemLength = w.Length - suffix.Length;
            bool allowed = suffix == "ative" ? stemLength >= r2 : stemLength >= r1;
            if (allowed)
            {
                w.Length = stemLength;
                w.Append(replacement);
            }

            return;
        }
    }

    private static void Step4(System.Text.StringBuilder w, int r2)
    {
        foreach (var suffix in Step4Suffixes)
        {
            if (!EndsWith(w, suffix))
            {
                continue;
            }

            int stemLength = w.Length - suffix.Length;
            if (stemLength < r2)
            {
                return;
            }

            if (suffix == "ion" && !(stemLength > 0 && w[stemLength - 1] is 's' or 't'))
            {
                return;
            }

            w.Length = stemLength;
            return;
        }
    }

    private static void Step5(System.Text.StringBuilder w, int r1, int r2)
    {
        int last = w.Length - 1;
        if (last < 0)
        {
            return;
        }

        if (w[last] == 'e')
        {
            if (last >= r2 || (last >= r1 && !EndsInShortSyllable(w, last)))
            {
                w.Length = last;
            }
        }
        else if (w[last] == 'l' && last >= r2 && last > 0 && w[last - 1] == 'l')
        {
            w.Length = last;
        }
    }

    private static void ReplaceFirstMatch(System.Text.StringBuilder w, (string Suffix, string Replacement)[] rules, int r1, bool step2)
    {
        foreach (var (suffix, replacement) in rules)
        {
            if (!EndsWith(w, suffix))
            {
                continue;
            }

            int stemLength = w.Length - suffix.Length;
            if (stemLength < r1)
            {
                return;
            }

            if (step2 && suffix == "ogi" && !(stemLength > 0 && w[stemLength - 1] == 'l'))
            {
                return;
            }

            if (step2 && suffix == "li" && !(stemLength > 0 && w[stemLength - 1] is 'c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't'))
            {
                return;
            }

            w.Length = stemLength;
            w.Append(replacement);
            return;
        }
    }

    private static bool ContainsVowel(System.Text.StringBuilder w, int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (IsVowel(w[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsWithDouble(System.Text.StringBuilder w)
    {
        int n = w.Length;
        return n >= 2 && w[n - 1] == w[n - 2] && w[n - 1] is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't';
    }

    private static bool IsShortWord(System.Text.StringBuilder w, int r1) => r1 >= w.Length && EndsInShortSyllable(w, w.Length);

    /// <summary>Whether <c>w[..length]</c> ends in a short syllable.</summary>
    private static bool EndsInShortSyllable(System.Text.StringBuilder w, int length)
    {
        if (length == 2)
        {
            return IsVowel(w[0]) && !IsVowel(w[1]);
        }

        if (length >= 3)
        {
            char c = w[length - 1];
            return !IsVowel(w[length - 3]) && IsVowel(w[length - 2]) && !IsVowel(c) && c is not ('w' or 'x' or 'Y');
        }

        return false;
    }

    private static bool EndsWith(System.Text.StringBuilder w, string suffix)
    {
        if (w.Length < suffix.Length)
        {
            return false;
        }

        int offset = w.Length - suffix.Length;
        for (int i = 0; i < suffix.Length; i++)
        {
            if (w[offset + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool StartsWith(System.Text.StringBuilder w, string prefix)
    {
        if (w.Length < prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            if (w[i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }
}
