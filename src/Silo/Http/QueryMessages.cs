using System.Text.Json;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;

namespace MossGrains.Silo.Http;

/// <summary>
/// <c>{"query": "...", "top_k": 5, "alpha": 0.5, "filter": {...}, "embedding": [...]}</c>; only <c>query</c> is required.
/// <c>filter</c> is Moss's filter JSON (<see cref="Filter.Parse"/>).
/// </summary>
public class QueryBody
{
    public required string Query { get; init; }

    public int? TopK { get; init; }

    public float? Alpha { get; init; }

    public JsonElement? Filter { get; init; }

    public IReadOnlyList<float>? Embedding { get; init; }

    public QueryOptions ToOptions()
    {
        var defaults = new QueryOptions();
        return new QueryOptions
        {
            TopK = TopK ?? defaults.TopK,
            Alpha = Alpha,
            Embedding = Embedding is null ? null : [.. Embedding],
            Filter = ParseFilter(),
        };
    }

    private Filter? ParseFilter()
    {
        if (Filter is not { ValueKind: not JsonValueKind.Null } json)
        {
            return null;
        }

        try
        {
            return Engine.Filtering.Filter.Parse(json.GetRawText());
        }
        catch (ArgumentException e)
        {
            throw ProblemMapping.InvalidField("filter", e.Message);
        }
    }
}

/// <summary>A query over several loaded indexes: <see cref="QueryBody"/> plus <c>"indexes": ["faq", "policies"]</c>.</summary>
public sealed class MultiIndexQueryBody : QueryBody
{
    public required IReadOnlyList<string> Indexes { get; init; }
}
