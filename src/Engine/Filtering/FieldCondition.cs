using System.Globalization;
using System.Text.Json;

namespace MossGrains.Engine.Filtering;

/// <summary>
/// One condition on one metadata field. Two values compare as numbers when both parse as
/// invariant-culture doubles, otherwise as ordinal strings. A document without the field matches
/// only <c>$ne</c> and <c>$nin</c>.
/// </summary>
internal sealed class FieldCondition : Filter
{
    private readonly string[] _operands;
    private readonly double?[] _numericOperands;
    private readonly GeoCircle? _circle;

    public FieldCondition(string field, FilterOperator op, string[] operands)
    {
        FieldName = field;
        Operator = op;
        _operands = operands;
        _numericOperands = [.. operands.Select(ParseNumber)];
        if (op == FilterOperator.Near)
        {
            _circle = GeoCircle.TryParse(operands[0], out var circle)
                ? circle
                : throw new ArgumentException($"$near expects \"lat,lng,radiusMeters\" (lat within ±90, lng within ±180, radius ≥ 0), got \"{operands[0]}\".", nameof(operands));
        }
    }

    public string FieldName { get; }

    public FilterOperator Operator { get; }

    public override bool Matches(IReadOnlyDictionary<string, string>? metadata)
    {
        string? value;
        double? number;
        bool present;
        if (metadata is MetadataValues stored)
        {
            present = stored.TryGetEntry(FieldName, out value, out number);
        }
        else
        {
            value = null;
            present = metadata is not null && metadata.TryGetValue(FieldName, out value);
            number = present && value is not null ? ParseNumber(value) : null;
        }

        if (!present || value is null)
        {
            return Operator is FilterOperator.Ne or FilterOperator.Nin;
        }

        return Operator switch
        {
            FilterOperator.Eq => Compare(value, number, 0) == 0,
            FilterOperator.Ne => Compare(value, number, 0) != 0,
            FilterOperator.Gt => Compare(value, number, 0) > 0,
            FilterOperator.Gte => Compare(value, number, 0) >= 0,
            FilterOperator.Lt => Compare(value, number, 0) < 0,
            FilterOperator.Lte => Compare(value, number, 0) <= 0,
            FilterOperator.In => AnyEqual(value, number),
            FilterOperator.Nin => !AnyEqual(value, number),
            FilterOperator.Near => _circle!.Value.Contains(value),
            _ => false,
        };
    }

    internal override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("field", FieldName);
        writer.WriteStartObject("condition");
        writer.WritePropertyName(FilterParser.OperatorName(Operator));
        if (Operator is FilterOperator.In or FilterOperator.Nin)
        {
            writer.WriteStartArray();
            foreach (var operand in _operands)
            {
                writer.WriteStringValue(operand);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStringValue(_operands[0]);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal override IEnumerable<int>? Candidates(Func<string, IEnumerable<int>> slotsOf)
    {
        if (Operator is not (FilterOperator.Eq or FilterOperator.In))
        {
            return null;
        }

        var terms = _operands.Select((operand, i) => _numericOperands[i] is { } number
            ? MetadataTerms.Numeric(FieldName, number)
            : MetadataTerms.Exact(FieldName, operand));
        return terms.Distinct(StringComparer.Ordinal).SelectMany(slotsOf);
    }

    private bool AnyEqual(string value, double? number)
    {
        for (int i = 0; i < _operands.Length; i++)
        {
            if (Compare(value, number, i) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private int Compare(string value, double? valueNumber, int operandIndex)
    {
        if (_numericOperands[operandIndex] is { } number && valueNumber is { } docNumber)
        {
            return docNumber.CompareTo(number);
        }

        return string.CompareOrdinal(value, _operands[operandIndex]);
    }

    internal static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) ? number : null;
}
