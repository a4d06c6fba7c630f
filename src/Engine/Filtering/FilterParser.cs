using System.Text.Json;

namespace MossGrains.Engine.Filtering;

/// <summary>
/// Parses the JSON filter form: <c>{"field": f, "condition": {"$op": value}}</c> (several operators in
/// one condition must all hold) or <c>{"$and": [...]}</c> / <c>{"$or": [...]}</c>. Operand values may be
/// strings, numbers or booleans (kept as their JSON text); <c>$in</c>/<c>$nin</c> take arrays of them.
/// </summary>
internal static class FilterParser
{
    private static readonly Dictionary<string, FilterOperator> Operators = new(StringComparer.Ordinal)
    {
        ["$eq"] = FilterOperator.Eq,
        ["$ne"] = FilterOperator.Ne,
        ["$gt"] = FilterOperator.Gt,
        ["$gte"] = FilterOperator.Gte,
        ["$lt"] = FilterOperator.Lt,
        ["$lte"] = FilterOperator.Lte,
        ["$in"] = FilterOperator.In,
        ["$nin"] = FilterOperator.Nin,
        ["$near"] = FilterOperator.Near,
    };

    public static string OperatorName(FilterOperator op) => Operators.First(kv => kv.Value == op).Key;

    public static Filter Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return ParseFilter(document.RootElement, "$");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Filter is not valid JSON: {e.Message}", nameof(json), e);
        }
        catch (InvalidFilterException e)
        {
            throw new ArgumentException(e.Message, nameof(json));
        }
    }

    private static Filter ParseFilter(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "must be an object");
        }

        var properties = element.EnumerateObject().ToList();
        if (properties.Count == 1 && properties[0].Name is "$and" or "$or")
        {
            var property = properties[0];
            string childPath = $"{path}.{property.Name}";
            if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
            {
                throw Error(childPath, "must be a non-empty array of filters");
            }

            var children = property.Value.EnumerateArray().Select((child, i) => ParseFilter(child, $"{childPath}[{i}]")).ToArray();
            return property.Name == "$and" ? Filter.And(children) : Filter.Or(children);
        }

        var unknown = properties.FirstOrDefault(p => p.Name is not ("field" or "condition"));
        if (unknown.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw Error($"{path}.{unknown.Name}", "is not a filter key (expected \"field\" + \"condition\", \"$and\" or \"$or\")");
        }

        if (!element.TryGetProperty("field", out var field) || field.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(field.GetString()))
        {
            throw Error($"{path}.field", "must be a non-empty string");
        }

        if (!element.TryGetProperty("condition", out var condition) || condition.ValueKind != JsonValueKind.Object || !condition.EnumerateObject().Any())
        {
            throw Error($"{path}.condition", "must be an object with at least one operator");
        }

        var conditions = new List<Filter>();
        foreach (var op in condition.EnumerateObject())
        {
            string opPath = $"{path}.condition.{op.Name}";
            if (!Operators.TryGetValue(op.Name, out var filterOperator))
            {
                throw Error(opPath, $"is not a known operator (known: {string.Join(' ', Operators.Keys)})");
            }

            string[] operands = filterOperator is FilterOperator.In or FilterOperator.Nin
                ? op.Value.ValueKind == JsonValueKind.Array
                    ? [.. op.Value.EnumerateArray().Select((v, i) => Scalar(v, $"{opPath}[{i}]"))]
                    : throw Error(opPath, "must be an array")
                : [Scalar(op.Value, opPath)];
            try
            {
                conditions.Add(new FieldCondition(field.GetString()!, filterOperator, operands));
            }
            catch (ArgumentException e) when (e is not ArgumentNullException)
            {
                throw Error(opPath, e.Message.Split(" (Parameter", 2)[0]);
            }
        }

        return conditions.Count == 1 ? conditions[0] : Filter.And([.. conditions]);
    }

    private static string Scalar(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw Error(path, "must be a string, number or boolean"),
    };

    private static InvalidFilterException Error(string path, string problem) =>
        new($"Invalid filter at {path}: {path[(path.LastIndexOf('.') + 1)..]} {problem}.");

    /// <summary>Carries a parse error up to <see cref="Parse"/>, which reports it as an <see cref="ArgumentException"/> on its parameter.</summary>
    private sealed class InvalidFilterException(string message) : Exception(message);
}
