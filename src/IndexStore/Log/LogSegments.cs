using System.Globalization;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.Log;

/// <summary>
/// Names of a session's log segments: <c>{base}.{owner}</c>, where base is the version the writes follow
/// (<see cref="IndexVersion.InitialLogSegment"/> before the first) and owner the epoch of the copy that writes them.
/// Owner 0 is the bare <c>{base}</c>, the name segments had before owners existed, so their writes still replay.
/// </summary>
public static class LogSegments
{
    public static string Of(IndexVersion? basedOn, long owner) =>
        owner == 0 ? BaseOf(basedOn) : string.Create(CultureInfo.InvariantCulture, $"{BaseOf(basedOn)}.{owner}");

    /// <summary>
    /// The segments among <paramref name="segments"/> that follow <paramref name="basedOn"/> and were written by owners
    /// before <paramref name="owner"/>, oldest owner first: the order their writes happened in.
    /// </summary>
    public static IReadOnlyList<string> Preceding(IEnumerable<string> segments, IndexVersion? basedOn, long owner)
    {
        string name = BaseOf(basedOn);
        return [.. segments
            .Select(s => (Segment: s, Owner: OwnerOf(s, name)))
            .Where(s => s.Owner is { } o && o < owner)
            .OrderBy(s => s.Owner)
            .Select(s => s.Segment)];
    }

    private static string BaseOf(IndexVersion? basedOn) => basedOn?.Id ?? IndexVersion.InitialLogSegment;

    private static long? OwnerOf(string segment, string name) =>
        segment == name ? 0
        : segment.Length > name.Length + 1 && segment.StartsWith(name, StringComparison.Ordinal) && segment[name.Length] == '.'
          && long.TryParse(segment.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long owner) ? owner
        : null;
}
