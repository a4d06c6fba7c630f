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

        var recreated = Assert.IsType<InvalidOperationException>(ExceptionEncoding.ToException(info));
        Assert.Equal("the grain refused", recreated.Message);
        Assert.Equal(info.StackTrace, recreated.Data[ExceptionEncoding.RemoteStackTraceKey]);
    }

    [Fact]
    public void Unknown_exception_types_become_RemoteGrainException()
    {
        var info = new RemoteExceptionInfo("Some.Remote.OnlyException", "boom", null);
        var error = Assert.IsType<RemoteGrainException>(ExceptionEncoding.ToException(info));
        Assert.Equal("Some.Remote.OnlyException", error.RemoteTypeName);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);

        var withoutStack = RoundTrip(new ArgumentOutOfRangeException("topK", "TopK must be at most 1000."), includeStackTrace: false);
        Assert.Null(withoutStack.StackTrace);
        Assert.IsType<ArgumentOutOfRangeException>(ExceptionEncoding.ToException(withoutStack));
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
