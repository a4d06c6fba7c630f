namespace MossGrains.Cli.Commands;

/// <summary>A command line the CLI refuses after parsing (a value out of range, a malformed URL…): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
