namespace MossGrains.Runtime;

/// <summary>
/// A grain call failed on a remote silo with an exception whose type cannot be recreated here
/// (unknown type, or no public constructor taking a message string).
/// </summary>
public sealed class RemoteGrainException : Exception
{
    public RemoteGrainException()
    {
        ExceptionType = string.Empty;
    }

    public RemoteGrainException(string message)
        : base(message)
    {
        ExceptionType = string.Empty;
    }

    public RemoteGrainException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExceptionType = string.Empty;
    }

    public RemoteGrainException(string exceptionType, string message)
        : base($"{exceptionType}: {message}")
    {
        ExceptionType = exceptionType;
        RemoteMessage = message;
    }

    /// <summary>Full name of the exception type thrown by the grain.</summary>
    public string ExceptionType { get; }

    /// <summary>The message of the grain's exception.</summary>
    public string? RemoteMessage { get; }
}
