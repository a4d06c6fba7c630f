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
        string? value = null;
        bool present = metadata is not null && metadata.TryGetValue(FieldName, out value);
        if (!present || value is null)
        {
            return Operator is FilterOperator.Ne or FilterOperator.Nin;
        }

        return Operator switch
        {
            FilterOperator.Eq => Compare(value, 0) == 0,
            FilterOperator.Ne => Compare(value, 0) != 0,
            FilterOperator.Gt => Compare(value, 0) > 0,
            FilterOperator.Gte => Compare(value, 0) >= 0,
            FilterOperator.Lt => Compare(value, 0) < 0,
            FilterOperator.Lte => Compare(value, 0) <= 0,
            FilterOperator.In => AnyEqual(value),
            FilterOperator.Nin => !AnyEqual(value),
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

    private bool AnyEqual(string value)
    {
        for (int i = 0; i < _operands.Length; i++)
        {
            if (Compare(value, i) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private int Compare(string value, int operandIndex)
    {
        if (_numericOperands[operandIndex] is { } number && ParseNumber(value) is { } docNumber)
        {
            return docNumber.CompareTo(number);
        }

        return string.CompareOrdinal(value, _operands[operandIndex]);
    }

    internal static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) ? number : null;
}
