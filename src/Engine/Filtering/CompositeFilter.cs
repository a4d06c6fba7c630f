using System.Text.Json;

namespace MossGrains.Engine.Filtering;

internal enum CompositeKind
{
    And,
    Or,
}

/// <summary><c>$and</c> (all must match) or <c>$or</c> (any must match) over one or more filters.</summary>
internal sealed class CompositeFilter : Filter
{
    private readonly Filter[] _filters;

    public CompositeFilter(CompositeKind kind, Filter[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Length == 0 || Array.Exists(filters, f => f is null))
        {
            throw new ArgumentException($"${kind.ToString().ToLowerInvariant()} needs at least one non-null filter.", nameof(filters));
        }

        Kind = kind;
        _filters = [.. filters];
    }

    public CompositeKind Kind { get; }

    public override bool Matches(IReadOnlyDictionary<string, string>? metadata)
    {
        if (Kind == CompositeKind.And)
        {
            foreach (var filter in _filters)
            {
                if (!filter.Matches(metadata))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var filter in _filters)
        {
            if (filter.Matches(metadata))
            {
                return true;
            }
        }

        return false;
    }

    internal override IEnumerable<int>? Candidates(Func<string, IEnumerable<int>> slotsOf)
    {
        var perChild = _filters.Select(f => f.Candidates(slotsOf)).ToList();
        if (Kind == CompositeKind.Or)
        {
            // Every alternative must be indexable, or a match could come from the part that is not.
            return perChild.Any(c => c is null) ? null : perChild.SelectMany(c => c!);
        }

        // Any indexable conjunct bounds the result; take the smallest.
        return perChild.Where(c => c is not null).Select(c => c!.ToList()).OrderBy(c => c.Count).FirstOrDefault();
    }

    internal override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Kind == CompositeKind.And ? "$and" : "$or");
        foreach (var filter in _filters)
        {
            filter.WriteJson(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
