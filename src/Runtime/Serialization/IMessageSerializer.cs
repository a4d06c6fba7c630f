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
}

/// <summary>
/// The compact binary encoding used for remote grain calls: arguments, return values and
/// exceptions (as type name + message). Local calls never go through it.
/// </summary>
public interface IMessageSerializer
{
    void Serialize(IBufferWriter<byte> output, object? value, Type declaredType);

    object? Deserialize(ReadOnlySequence<byte> input, Type declaredType);
}
