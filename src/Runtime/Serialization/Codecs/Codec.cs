namespace MossGrains.Runtime.Serialization.Codecs;

/// <summary>
/// Encodes non-null values of exactly one runtime type (collection codecs also accept any
/// implementation of their collection interface). Null handling and type tags live in <see cref="Slot"/>.
/// </summary>
internal abstract class Codec(Type type)
{
    public Type Type { get; } = type;

    /// <summary>The fewest bytes one encoded value can take; bounds element counts when reading.</summary>
    public virtual int MinSize => 1;

    public abstract void Write(MessageWriter writer, object value);

    public abstract object Read(MessageReader reader);
}

/// <summary>A codec for a type with fixed encode/decode delegates (numbers, strings, Guid, dates...).</summary>
internal sealed class DelegateCodec<T>(Action<MessageWriter, T> write, Func<MessageReader, T> read, int minSize = 1) : Codec(typeof(T))
    where T : notnull
{
    public override int MinSize => minSize;

    public override void Write(MessageWriter writer, object value) => write(writer, (T)value);

    public override object Read(MessageReader reader) => read(reader);
}
