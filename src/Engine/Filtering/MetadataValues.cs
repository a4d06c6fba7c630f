using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace MossGrains.Engine.Filtering;

/// <summary>
/// A read-only copy of a document's metadata that also keeps each value's number (when it parses as one), so
/// filters compare numerically without re-parsing the value for every query.
/// </summary>
internal sealed class MetadataValues : IReadOnlyDictionary<string, string>
{
    private readonly Dictionary<string, (string Value, double? Number)> _entries;

    public MetadataValues(IEnumerable<KeyValuePair<string, string>> metadata)
    {
        _entries = new Dictionary<string, (string, double?)>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            _entries[key] = (value, FieldCondition.ParseNumber(value));
        }
    }

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Keys;

    public IEnumerable<string> Values => _entries.Values.Select(e => e.Value);

    public string this[string key] => _entries[key].Value;

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        bool found = _entries.TryGetValue(key, out var entry);
        value = entry.Value;
        return found;
    }

    /// <summary>The value of <paramref name="key"/> and its number, if it parses as one.</summary>
    public bool TryGetEntry(string key, [MaybeNullWhen(false)] out string value, out double? number)
    {
        bool found = _entries.TryGetValue(key, out var entry);
        (value, number) = entry;
        return found;
    }

    /// <summary>Every field with its value and, when the value parses as one, its number.</summary>
    public IEnumerable<(string Key, string Value, double? Number)> Entries =>
        _entries.Select(e => (e.Key, e.Value.Value, e.Value.Number));

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        _entries.Select(e => new KeyValuePair<string, string>(e.Key, e.Value.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
