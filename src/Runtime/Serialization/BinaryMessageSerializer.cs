using System.Buffers;
using System.Reflection;
using MossGrains.Runtime.Serialization.Codecs;

namespace MossGrains.Runtime.Serialization;

/// <summary>
/// The compact binary encoding of grain-call payloads. Values are written as their declared type:
/// varint integers and lengths, raw little-endian floats (so <c>float[]</c> vectors are a length
/// and a block copy), members of records/classes/structs in name order. A value whose runtime type
/// differs from the declared one carries its type name; a grain reference is written as its
/// <see cref="GrainId"/>. Both sides must run the same types (no version tolerance).
/// Thread-safe; codecs are built once per type and cached.
/// </summary>
public sealed class BinaryMessageSerializer : IMessageSerializer
{
    private readonly CodecRegistry _registry;

    /// <param name="grainReferences">Turns grain references into ids and back; null when no grain references are sent.</param>
    public BinaryMessageSerializer(IGrainReferenceConverter? grainReferences = null)
    {
        _registry = new CodecRegistry(grainReferences);
    }

    public void Serialize(IBufferWriter<byte> output, object? value, Type declaredType)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(declaredType);
        _registry.GetSlot(declaredType).Write(new MessageWriter(output), value);
    }

    public object? Deserialize(ReadOnlySequence<byte> input, Type declaredType)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        return Decode(input, reader => _registry.GetSlot(declaredType).Read(reader), declaredType.ToString());
    }

    public void SerializeArguments(IBufferWriter<byte> output, ReadOnlySpan<object?> arguments, ReadOnlySpan<Type> parameterTypes)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (arguments.Length != parameterTypes.Length)
        {
            throw new ArgumentException(
                $"{arguments.Length} arguments were given for {parameterTypes.Length} parameters.", nameof(arguments));
        }

        var writer = new MessageWriter(output);
        for (int i = 0; i < arguments.Length; i++)
        {
            _registry.GetSlot(parameterTypes[i]).Write(writer, arguments[i]);
        }
    }

    public object?[] DeserializeArguments(ReadOnlySequence<byte> input, ReadOnlySpan<Type> parameterTypes)
    {
        var slots = new Slot[parameterTypes.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = _registry.GetSlot(parameterTypes[i]);
        }

        return Decode(
            input,
            reader =>
            {
                var values = new object?[slots.Length];
                for (int i = 0; i < slots.Length; i++)
                {
                    values[i] = slots[i].Read(reader);
                }

                return values;
            },
            $"{slots.Length} arguments");
    }

    private static T Decode<T>(ReadOnlySequence<byte> input, Func<MessageReader, T> read, string what)
    {
        var reader = new MessageReader(input);
        T result;
        try
        {
            result = read(reader);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or OverflowException
            or TargetInvocationException or NotSupportedException)
        {
            throw new MessageFormatException(
                $"The payload could not be decoded as {what} (failed near offset {reader.Position}): {(ex.InnerException ?? ex).Message}", ex);
        }

        if (reader.Remaining != 0)
        {
            throw new MessageFormatException(
                $"The payload has {reader.Remaining} unexpected bytes after {what} at offset {reader.Position}.");
        }

        return result;
    }
}
