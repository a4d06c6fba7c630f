namespace MossGrains.Runtime.Serialization;

/// <summary>
/// A payload could not be decoded: it is truncated, has trailing bytes, names an unknown type or
/// holds a value that cannot belong to the declared type. Nothing half-decoded is returned.
/// </summary>
public sealed class MessageFormatException : FormatException
{
    public MessageFormatException()
    {
    }

    public MessageFormatException(string message)
        : base(message)
    {
    }

    public MessageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
