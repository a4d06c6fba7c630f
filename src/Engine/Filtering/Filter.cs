using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MossGrains.Engine.Filtering;

/// <summary>
/// A metadata filter: field conditions combined with <c>$and</c> / <c>$or</c>. Build one with
/// <c>Filter.Field("city").Eq("Paris") &amp; Filter.Field("year").Gte(2020)</c> or parse the JSON form
/// with <see cref="Parse"/>; <see cref="ToJson"/> gives the JSON form back. Filters are immutable.
/// </summary>
public abstract class Filter
{
    private protected Filter()
    {
    }

    /// <summary>Starts a condition on metadata field <paramref name="name"/>.</summary>
    public static FieldConditionBuilder Field(string name) => new(name);

    public static Filter And(params Filter[] filters) => new CompositeFilter(CompositeKind.And, filters);

    public static Filter Or(params Filter[] filters) => new CompositeFilter(CompositeKind.Or, filters);

    public static Filter operator &(Filter left, Filter right) => And(left, right);

    public static Filter operator |(Filter left, Filter right) => Or(left, right);

    public static Filter BitwiseAnd(Filter left, Filter right) => And(left, right);

    public static Filter BitwiseOr(Filter left, Filter right) => Or(left, right);

    /// <summary>
    /// Parses the JSON form. Throws <see cref="ArgumentException"/> (parameter <c>json</c>) naming the
    /// offending path, e.g. <c>$.$and[1].condition.$foo</c>, for unknown operators or malformed input.
    /// </summary>
    public static Filter Parse(string json) => FilterParser.Parse(json);

    /// <summary>True when a document with <paramref name="metadata"/> passes the filter.</summary>
    public abstract bool Matches(IReadOnlyDictionary<string, string>? metadata);

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public override string ToString() => ToJson();

    internal abstract void WriteJson(Utf8JsonWriter writer);

    /// <summary>
    /// A superset of the matching slots read from the metadata term index (<paramref name="slotsOf"/> gives the slots of
    /// one <see cref="MetadataTerms"/> term), or null when this filter needs a full scan. Callers verify with <see cref="Matches"/>.
    /// </summary>
    internal abstract IEnumerable<int>? Candidates(Func<string, IEnumerable<int>> slotsOf);
}

/// <summary>Comparison operators of a field condition.</summary>
public enum FilterOperator
{
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Nin,
    Near,
}

/// <summary>Typed builder returned by <see cref="Filter.Field"/>.</summary>
public sealed class FieldConditionBuilder
{
    private readonly string _field;

    internal FieldConditionBuilder(string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        _field = field;
    }

    public Filter Eq(string value) => Make(FilterOperator.Eq, value);

    public Filter Eq(double value) => Make(FilterOperator.Eq, Format(value));

    public Filter Ne(string value) => Make(FilterOperator.Ne, value);

    public Filter Ne(double value) => Make(FilterOperator.Ne, Format(value));

    public Filter Gt(string value) => Make(FilterOperator.Gt, value);

    public Filter Gt(double value) => Make(FilterOperator.Gt, Format(value));

    public Filter Gte(string value) => Make(FilterOperator.Gte, value);

    public Filter Gte(double value) => Make(FilterOperator.Gte, Format(value));

    public Filter Lt(string value) => Make(FilterOperator.Lt, value);

    public Filter Lt(double value) => Make(FilterOperator.Lt, Format(value));

    public Filter Lte(string value) => Make(FilterOperator.Lte, value);

    public Filter Lte(double value) => Make(FilterOperator.Lte, Format(value));

    public Filter In(params string[] values) => new FieldCondition(_field, FilterOperator.In, values);

    public Filter Nin(params string[] values) => new FieldCondition(_field, FilterOperator.Nin, values);

    /// <summary>Matches a <c>"lat,lng"</c> field within <paramref name="radiusMeters"/> (haversine) of the point.</summary>
    public Filter Near(double latitude, double longitude, double radiusMeters) =>
        Make(FilterOperator.Near, string.Create(CultureInfo.InvariantCulture, $"{latitude:R},{longitude:R},{radiusMeters:R}"));

    private FieldCondition Make(FilterOperator op, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new FieldCondition(_field, op, [value]);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
