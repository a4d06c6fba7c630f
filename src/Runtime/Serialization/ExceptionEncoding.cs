using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace MossGrains.Runtime.Serialization;

/// <summary>What the caller learns about an exception thrown by a remote grain.</summary>
public sealed record RemoteExceptionInfo(string TypeName, string Message, string? StackTrace);

/// <summary>
/// The wire form of an exception: its type's full name, its message and optionally its stack
/// trace, as three length-prefixed UTF-8 strings (the last preceded by a presence byte).
/// </summary>
public static class ExceptionEncoding
{
    /// <summary>Key under which a recreated exception's <see cref="Exception.Data"/> holds the remote stack trace.</summary>
    public const string RemoteStackTraceKey = "MossGrains.RemoteStackTrace";

    private static readonly ConcurrentDictionary<string, Type?> ExceptionTypes = new(StringComparer.Ordinal);

    public static void Write(IBufferWriter<byte> output, Exception exception, bool includeStackTrace)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(exception);
        var writer = new MessageWriter(output);
        writer.WriteString(exception.GetType().FullName ?? exception.GetType().Name);
        writer.WriteString(exception.Message);
        string? stack = includeStackTrace ? exception.StackTrace : null;
        writer.WriteByte(stack is null ? (byte)0 : (byte)1);
        if (stack is not null)
        {
            writer.WriteString(stack);
        }
    }

    public static RemoteExceptionInfo Read(ReadOnlySequence<byte> input)
    {
        var reader = new MessageReader(input);
        string typeName = reader.ReadString("an exception type name");
        string message = reader.ReadString("an exception message");
        string? stack = reader.ReadByte("the stack-trace flag of an exception") switch
        {
            0 => null,
            1 => reader.ReadString("an exception stack trace"),
            var flag => throw reader.Invalid($"The payload has an invalid stack-trace flag {flag} in an exception"),
        };
        if (reader.Remaining != 0)
        {
            throw reader.Invalid($"The payload has {reader.Remaining} unexpected bytes after an exception");
        }

        return new RemoteExceptionInfo(typeName, message, stack);
    }

    /// <summary>
    /// Recreates the remote exception as its own type with the remote message (the remote stack
    /// trace goes into <see cref="Exception.Data"/> under <see cref="RemoteStackTraceKey"/>) when that
    /// type is loaded here and has a public (string message) constructor. False otherwise: the
    /// caller then raises its generic remote-exception type carrying <see cref="RemoteExceptionInfo.TypeName"/>.
    /// </summary>
    public static bool TryRecreate(RemoteExceptionInfo info, [NotNullWhen(true)] out Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(info);
        exception = null;
        var type = ExceptionTypes.GetOrAdd(info.TypeName, FindExceptionType);
        if (type?.GetConstructor([typeof(string)]) is not { } constructor)
        {
            return false;
        }

        try
        {
            exception = (Exception)constructor.Invoke([info.Message]);
        }
        catch (System.Reflection.TargetInvocationException)
        {
            return false;
        }

        if (info.StackTrace is not null)
        {
            exception.Data[RemoteStackTraceKey] = info.StackTrace;
        }

        return true;
    }

    private static Type? FindExceptionType(string fullName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(fullName, throwOnError: false) is { } type && typeof(Exception).IsAssignableFrom(type) && !type.IsAbstract)
            {
                return type;
            }
        }

        return null;
    }
}
