using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MossGrains.Runtime.Serialization;

/// <summary>Appends the primitive pieces of the wire format (varints, fixed-width numbers, UTF-8 strings) to a buffer writer.</summary>
internal sealed class MessageWriter(IBufferWriter<byte> output)
{
    /// <summary>Nesting limit for object graphs; deeper graphs are almost always cycles.</summary>
    public const int MaxDepth = 64;

    private int _depth;

    public void EnterObject(Type type)
    {
        if (++_depth > MaxDepth)
        {
            throw new ArgumentException(
                $"The object graph is nested deeper than {MaxDepth} levels at a value of type '{type}'; cycles are not supported.");
        }
    }

    public void ExitObject() => _depth--;

    public void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public void WriteVarUInt64(ulong value)
    {
        Span<byte> span = output.GetSpan(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        output.Advance(i);
    }

    /// <summary>Zig-zag then varint, so small negative numbers stay short.</summary>
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    public void WriteInt32Fixed(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public void WriteInt64Fixed(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteSingle(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    public void WriteString(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 512)
        {
            Span<byte> scratch = stackalloc byte[max];
            int written = Encoding.UTF8.GetBytes(value, scratch);
            WriteVarUInt64((ulong)written);
            WriteBytes(scratch[..written]);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt64((ulong)length);
        Span<byte> span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }
}
