namespace MossGrains.Grains.Idempotency;

/// <summary>
/// An idempotency key travels with a write in Orleans' <see cref="RequestContext"/> under <see cref="RequestContextKey"/>
/// (set by the client's <c>MossIdempotency.Scope</c>, which the HTTP API opens from the <c>Idempotency-Key</c> header).
/// The grain that does the work remembers the first answer under that key and returns it to a retry.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>The HTTP header, also the field named in errors about the key.</summary>
    public const string Header = "Idempotency-Key";

    public const string RequestContextKey = "moss-idempotency-key";

    public const int MaxLength = 255;

    /// <summary>The key of the call being handled, if it carries one.</summary>
    public static string? Current => RequestContext.Get(RequestContextKey) as string;

    /// <summary>Refuses a key that is empty, longer than <see cref="MaxLength"/> or not printable ASCII, naming the header.</summary>
    public static string Checked(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length is >= 1 and <= MaxLength && key.All(c => c is >= ' ' and <= '~')
            ? key
            : throw Invalid(Header, $"{Header} must be 1 to {MaxLength} printable ASCII characters (a UUID is a good key).");
    }

    /// <summary>Names the header, not a C# parameter: the HTTP API reports the field.</summary>
    private static ArgumentException Invalid(string field, string message) => new(message, field);
}
