namespace MossGrains.Grains.Sessions;

/// <summary>
/// A stored index binary was refused (truncated, corrupted, another format version, another model): the wire form of
/// the engine's <c>IndexFormatException</c>, which MossClient turns back into that type. The store's pointer is left alone.
/// </summary>
[GenerateSerializer]
[Alias("moss.IndexBinaryRefusedException")]
public sealed class IndexBinaryRefusedException : IOException
{
    public IndexBinaryRefusedException()
    {
    }

    public IndexBinaryRefusedException(string message)
        : base(message)
    {
    }

    public IndexBinaryRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
