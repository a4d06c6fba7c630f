using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MossGrains.Silo.Http;

/// <summary>
/// The names problem documents give fields: the JSON the caller sent (<c>top_k</c>, <c>docs[3].id</c>,
/// <c>polling_interval</c>), not the .NET parameter or property an exception named (<c>options.TopK</c>).
/// </summary>
internal static partial class JsonFieldNames
{
    // .NET names that have another name on the wire.
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["text"] = "query",   // the engine's query text is the body's "query"
        ["json"] = "filter",  // Filter.Parse(json)
    };

    /// <summary>The JSON field of an engine or endpoint <see cref="ArgumentException.ParamName"/> (<c>request</c> when it names none; a header as its name).</summary>
    public static string OfParameter(string? parameter)
    {
        if (string.IsNullOrEmpty(parameter))
        {
            return "request";
        }

        if (parameter.Contains('-', StringComparison.Ordinal))
        {
            return parameter; // a header (Idempotency-Key) is named as sent
        }

        // "options.TopK" -> "top_k": the C# parameter holding the options is not part of the body.
        var segments = parameter.Split('.').ToList();
        if (segments.Count > 1 && segments[0] is "options" or "request" or "query")
        {
            segments.RemoveAt(0);
        }

        string joined = string.Join('.', segments.Select(SnakeCase));
        return Renamed.GetValueOrDefault(joined, joined);
    }

    /// <summary>The JSON field a <see cref="JsonException"/> is about: its path without <c>$.</c>, or the missing required property.</summary>
    public static string OfJsonError(JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string path = error.Path ?? "";
        if (path is "" or "$")
        {
            return MissingProperty().Match(error.Message) is { Success: true } missing ? missing.Groups[1].Value : "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    /// <summary>The message without what .NET appends for developers: <c>(Parameter 'x')</c> and <c>Actual value was y.</c></summary>
    public static string WithoutParameterSuffix(ArgumentException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string message = error.Message;
        message = ParameterSuffix().Replace(message, "");
        message = ActualValue().Replace(message, "");
        return message.Trim();
    }

    private static string SnakeCase(string segment)
    {
        int bracket = segment.IndexOf('[', StringComparison.Ordinal);
        string name = bracket < 0 ? segment : segment[..bracket];
        string index = bracket < 0 ? "" : segment[bracket..];
        var snake = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0 && name[i - 1] != '_')
                {
                    snake.Append('_');
                }

                snake.Append(char.ToLowerInvariant(c));
            }
            else
            {
                snake.Append(c);
            }
        }

        return snake + index;
    }

    [GeneratedRegex(@"missing required properties including: '([^']+)'")]
    private static partial Regex MissingProperty();

    [GeneratedRegex(@"(\s*\(Parameter '[^']*'\))+")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"\s*Actual value was [^\r\n]*\.?$", RegexOptions.Multiline)]
    private static partial Regex ActualValue();
}
