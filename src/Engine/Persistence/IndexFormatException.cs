namespace MossGrains.Engine.Persistence;

/// <summary>An index binary was refused: not an index, truncated, corrupted, from a newer format version, or built for another model.</summary>
public sealed class IndexFormatException : IOException
{
    public IndexFormatException()
    {
    }

    public IndexFormatException(string message)
        : base(message)
    {
    }

    public IndexFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
