namespace MossGrains.Grains.Naming;

/// <summary>
/// The grain key of a session or index: <c>"{project}/{index name}"</c>. Both parts are 1–64 characters of
/// <c>A–Z a–z 0–9 . _ -</c>, starting with a letter or digit, so a key is also a safe blob prefix and folder path.
/// </summary>
public static class IndexKey
{
    /// <summary>Project used when a caller names none.</summary>
    public const string DefaultProject = "default";

    /// <summary>Longest project or index name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Builds the key, refusing invalid parts with an <see cref="ArgumentException"/> naming the part and the rule.</summary>
    public static string For(string project, string name)
    {
        Validate(project, nameof(project));
        Validate(name, nameof(name));
        return project + "/" + name;
    }

    /// <summary>Splits a key made by <see cref="For"/>; refuses anything else.</summary>
    public static (string Project, string Name) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw new ArgumentException($"Index key '{key}' is not of the form '{{project}}/{{index name}}'.", nameof(key));
        }

        string project = key[..slash], name = key[(slash + 1)..];
        Validate(project, "project");
        Validate(name, "name");
        return (project, name);
    }

    private static void Validate(string value, string parameter)
    {
        ArgumentNullException.ThrowIfNull(value, parameter);
        if (Problem(value) is { } problem)
        {
            throw new ArgumentException($"{parameter} '{value}' is invalid: {problem}", parameter);
        }
    }

    private static string? Problem(string value)
    {
        if (value.Length is 0 or > MaxNameLength)
        {
            return $"it has {value.Length} characters; names have 1 to {MaxNameLength}.";
        }

        if (!char.IsAsciiLetterOrDigit(value[0]))
        {
            return "names start with a letter or digit.";
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return $"'{c}' is not allowed; names use only A-Z, a-z, 0-9, '.', '_' and '-'.";
            }
        }

        return null;
    }
}
