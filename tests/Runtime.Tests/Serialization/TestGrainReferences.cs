using System.Buffers;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime.Tests.Serialization;

public interface ITestGrain
{
    Task<int> GetCountAsync();
}

/// <summary>A minimal grain reference: the runtime's proxies carry the same two facts.</summary>
public sealed class TestGrainReference(GrainId id, Type? grainInterface = null) : ITestGrain
{
    public GrainId Id { get; } = id;

    public Type Interface { get; } = grainInterface ?? typeof(ITestGrain);

    public Task<int> GetCountAsync() => throw new NotSupportedException("A serialization test reference makes no calls.");
}

public sealed class TestGrainReferences : IGrainReferenceConverter
{
    public GrainId? TryGetGrainId(object value) => value is TestGrainReference reference ? reference.Id : null;

    public object CreateReference(Type grainInterface, GrainId grainId) => new TestGrainReference(grainId, grainInterface);
}

internal static class Segments
{
    /// <summary>Splits <paramref name="bytes"/> into a multi-segment sequence of at most <paramref name="size"/> bytes per segment.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (int offset = 0; offset < bytes.Length; offset += size)
        {
            var memory = bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
