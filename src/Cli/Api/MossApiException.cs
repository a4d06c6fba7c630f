namespace MossGrains.Cli.Api;

/// <summary>A failed call to the API, carrying the exit code it maps to and a message for a person.</summary>
public sealed class MossApiException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
