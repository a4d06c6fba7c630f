namespace MossGrains.Cli.Input;

/// <summary>Input the CLI refuses before sending anything: the message names the file (and line).</summary>
public sealed class InputException(string message, Exception? inner = null) : Exception(message, inner);
