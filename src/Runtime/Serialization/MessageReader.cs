using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MossGrains.Runtime.Serialization;

/// <summary>
/// Reads the primitive pieces of the wire format. Every read checks the remaining length and
/// fails with a <see cref="MessageFormatException"/> that says what was being read and where.
/// </summary>
internal sealed class MessageReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlyMemory<byte> _buffer;
    private int _position;
    private int _depth;

    public MessageReader(ReadOnlySequence<byte> input)
    {
        _buffer = input.IsSingleSegment ? input.First : input.ToArray();
    }

    public int Remaining => _buffer.Length - _position;

    public int Position => _position;

    public void EnterObject(Type type)
    {
        if (++_depth > MessageWriter.MaxDepth)
        {
            throw new MessageFormatException(
                $"The payload nests values deeper than {MessageWriter.MaxDepth} levels at offset {_position} (type '{type}').");
        }
    }

    public void ExitObject() => _depth--;

    public ReadOnlySpan<byte> ReadSpan(int length, string what)
    {
        if (length > Remaining)
        {
            throw new MessageFormatException(
                $"The payload is truncated: {what} needs {length} bytes at offset {_position} but only {Remaining} remain.");
        }

        var span = _buffer.Span.Slice(_position, length);
        _position += length;
        return span;
    }

    public byte ReadByte(string what) => ReadSpan(1, what)[0];

    public ulong ReadVarUInt64(string what)
    {
        ulong result = 0;
        int shift = 0;
        int start = _position;
        while (true)
        {
            byte b = ReadByte(what);
            if (shift == 63 && b > 1)
            {
                throw new MessageFormatException($"The varint for {what} at offset {start} overflows 64 bits.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
        }
    }

    public long ReadVarInt64(string what)
    {
        ulong raw = ReadVarUInt64(what);
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>
    /// Reads an element count and refuses counts that the remaining bytes cannot possibly hold,
    /// so a corrupt length never triggers a huge allocation.
    /// </summary>
    public int ReadCount(string what, int minElementSize)
    {
        int start = _position;
        ulong count = ReadVarUInt64(what);
        ulong limit = minElementSize > 0 ? (ulong)(Remaining / minElementSize) : 1UL << 24;
        if (count > limit)
        {
            throw new MessageFormatException(
                $"The payload is truncated or corrupt: {what} at offset {start} claims {count} elements but only {Remaining} bytes remain.");
        }

        return (int)count;
    }

    public int ReadInt32Fixed(string what) => BinaryPrimitives.ReadInt32LittleEndian(ReadSpan(4, what));

    public long ReadInt64Fixed(string what) => BinaryPrimitives.ReadInt64LittleEndian(ReadSpan(8, what));

    public float ReadSingle(string what) => BinaryPrimitives.ReadSingleLittleEndian(ReadSpan(4, what));

    public double ReadDouble(string what) => BinaryPrimitives.ReadDoubleLittleEndian(ReadSpan(8, what));

    public string ReadString(string what)
    {
        int length = ReadCount(what, 1);
        var bytes = ReadSpan(length, what);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new MessageFormatException($"The payload holds invalid UTF-8 in {what} before offset {_position}.", ex);
        }
    }

    public MessageFormatException Invalid(string message) => new($"{message} (offset {_position}).");
}
