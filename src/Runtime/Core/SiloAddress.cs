using System.Globalization;

namespace MossGrains.Runtime;

/// <summary>
/// One incarnation of a silo: its endpoint plus a generation that is new each time a process
/// starts on that endpoint, so a restarted silo is never mistaken for the one that died.
/// </summary>
public sealed record SiloAddress(string Host, int Port, long Generation)
{
    /// <summary>Parses the form produced by <see cref="ToString"/>: <c>host:port@generation</c>.</summary>
    public static SiloAddress Parse(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        int at = value.LastIndexOf('@');
        int colon = at < 0 ? -1 : value.LastIndexOf(':', at);
        if (at < 0 || colon < 0)
        {
            throw new FormatException($"Silo address '{value}' is not of the form host:port@generation.");
        }

        return new SiloAddress(
            value[..colon],
            int.Parse(value.AsSpan(colon + 1, at - colon - 1), CultureInfo.InvariantCulture),
            long.Parse(value.AsSpan(at + 1), CultureInfo.InvariantCulture));
    }

    public string Endpoint => $"{Host}:{Port}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");
}
