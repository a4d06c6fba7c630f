using System.Buffers;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime.Tests.Serialization;

public sealed class ExceptionEncodingTests
{
    [Fact]
    public void Known_exception_types_are_recreated_with_their_message_and_remote_stack()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("the grain refused");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var info = RoundTrip(thrown, includeStackTrace: true);
        Assert.Equal(typeof(InvalidOperationException).FullName, info.TypeName);
        Assert.Equal("the grain refused", info.Message);
        Assert.Contains(nameof(Known_exception_types_are_recreated_with_their_message_and_remote_stack), info.StackTrace, StringComparison.Ordinal);

        Assert.True(ExceptionEncoding.TryRecreate(info, out var exception));
        var recreated = Assert.IsType<InvalidOperationException>(exception);
        Assert.Equal("the grain refused", recreated.Message);
        Assert.Equal(info.StackTrace, recreated.Data[ExceptionEncoding.RemoteStackTraceKey]);
    }

    [Fact]
    public void Unknown_or_unconstructible_exception_types_are_not_recreated()
    {
        Assert.False(ExceptionEncoding.TryRecreate(new RemoteExceptionInfo("Some.Remote.OnlyException", "boom", null), out var unknown));
        Assert.Null(unknown);
        Assert.False(ExceptionEncoding.TryRecreate(new RemoteExceptionInfo(typeof(CodeOnlyException).FullName!, "no message ctor", null), out _));
        Assert.False(ExceptionEncoding.TryRecreate(new RemoteExceptionInfo(typeof(string).FullName!, "not an exception", null), out _));

        var withoutStack = RoundTrip(new ArgumentOutOfRangeException("topK", "TopK must be at most 1000."), includeStackTrace: false);
        Assert.Null(withoutStack.StackTrace);
        Assert.True(ExceptionEncoding.TryRecreate(withoutStack, out var recreated));
        Assert.IsType<ArgumentOutOfRangeException>(recreated);
        Assert.False(recreated.Data.Contains(ExceptionEncoding.RemoteStackTraceKey));
    }

    [Fact]
    public void Truncated_exception_payloads_are_refused()
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExceptionEncoding.Write(buffer, new TimeoutException("late"), includeStackTrace: false);
        byte[] bytes = buffer.WrittenSpan.ToArray();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<MessageFormatException>(() => ExceptionEncoding.Read(new ReadOnlySequence<byte>(bytes, 0, length)));
        }
    }

    private static RemoteExceptionInfo RoundTrip(Exception exception, bool includeStackTrace)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExceptionEncoding.Write(buffer, exception, includeStackTrace);
        return ExceptionEncoding.Read(Segments.Split(buffer.WrittenSpan.ToArray(), 2));
    }
}

public sealed class CodeOnlyException(int code) : Exception($"code {code}");
