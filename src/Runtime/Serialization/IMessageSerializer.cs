using System.Buffers;

namespace MossGrains.Runtime.Serialization;

/// <summary>
/// Lets the serializer write grain references as their <see cref="GrainId"/> and turn them back
/// into live references on the receiving side.
/// </summary>
public interface IGrainReferenceConverter
{
    /// <summary>The id of <paramref name="value"/> if it is a grain reference; null otherwise.</summary>
    GrainId? TryGetGrainId(object value);

    /// <summary>A reference implementing <paramref name="grainInterface"/> for <paramref name="grainId"/>.</summary>
    object CreateReference(Type grainInterface, GrainId grainId);

    /// <summary>
    /// The grain interface of reference <paramref name="value"/>, sent when the declared type is not
    /// that interface (e.g. <c>object</c>). Null lets the serializer pick the reference type's most
    /// derived interface.
    /// </summary>
    Type? GetGrainInterface(object value) => null;
}

/// <summary>
/// The compact binary encoding used for remote grain calls: arguments, return values and
/// exceptions (as type name + message). Local calls never go through it.
/// </summary>
public interface IMessageSerializer
{
    void Serialize(IBufferWriter<byte> output, object? value, Type declaredType);

    object? Deserialize(ReadOnlySequence<byte> input, Type declaredType);

    /// <summary>Writes a call's arguments back to back, each as its parameter type (no per-argument type tags).</summary>
    void SerializeArguments(IBufferWriter<byte> output, ReadOnlySpan<object?> arguments, ReadOnlySpan<Type> parameterTypes);

    /// <summary>Reads what <see cref="SerializeArguments"/> wrote; the whole payload must be consumed.</summary>
    object?[] DeserializeArguments(ReadOnlySequence<byte> input, ReadOnlySpan<Type> parameterTypes);
}
