using System.Buffers;
using System.Text;

namespace MossGrains.Engine.Embedding.Onnx.Quantization;

/// <summary>Protocol Buffers wire types (the encoding of ONNX files).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// One field read from a protobuf message: its number, wire type, value (varint or payload) and the exact bytes it
/// occupied, so that a field left unchanged can be copied verbatim.
/// </summary>
internal readonly ref struct ProtoField
{
    public ProtoField(int number, WireType type, ulong varint, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> raw)
    {
        Number = number;
        Type = type;
        Varint = varint;
        Payload = payload;
        Raw = raw;
    }

    public int Number { get; }

    public WireType Type { get; }

    /// <summary>The value of a varint field.</summary>
    public ulong Varint { get; }

    /// <summary>The bytes of a length-delimited (or fixed-size) field.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Tag and value as they were in the message.</summary>
    public ReadOnlySpan<byte> Raw { get; }

    public string AsString() => Encoding.UTF8.GetString(Payload);
}

/// <summary>Reads the fields of one protobuf message in order; only the four wire types proto3 writes.</summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public bool TryRead(out ProtoField field)
    {
        if (_position >= _data.Length)
        {
            field = default;
            return false;
        }

        int start = _position;
        ulong key = ReadVarint();
        var type = (WireType)(key & 7);
        int number = checked((int)(key >> 3));
        ulong varint = 0;
        ReadOnlySpan<byte> payload = default;
        switch (type)
        {
            case WireType.Varint:
                varint = ReadVarint();
                break;
            case WireType.Fixed64:
                payload = Take(8);
                break;
            case WireType.LengthDelimited:
                payload = Take(checked((int)ReadVarint()));
                break;
            case WireType.Fixed32:
                payload = Take(4);
                break;
            default:
                throw new InvalidDataException($"Unsupported protobuf wire type {(int)type} at byte {start}: not an ONNX model.");
        }

        field = new ProtoField(number, type, varint, payload, _data[start.._position]);
        return true;
    }

    /// <summary>The varints of a packed repeated field's payload.</summary>
    public static List<long> PackedVarints(ReadOnlySpan<byte> payload)
    {
        var values = new List<long>();
        var reader = new ProtoReader(payload);
        while (reader._position < payload.Length)
        {
            values.Add((long)reader.ReadVarint());
        }

        return values;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new InvalidDataException("Truncated protobuf varint: not a complete ONNX model.");
            }

            byte b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Protobuf varint longer than 10 bytes: not an ONNX model.");
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || length > _data.Length - _position)
        {
            throw new InvalidDataException($"Protobuf field of {length} bytes runs past the end of its message: not a complete ONNX model.");
        }

        var slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }
}

/// <summary>Writes protobuf fields into a growing buffer.</summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void WriteVarint(int number, long value)
    {
        WriteKey(number, WireType.Varint);
        WriteVarint((ulong)value);
    }

    public void WriteBytes(int number, ReadOnlySpan<byte> payload)
    {
        WriteKey(number, WireType.LengthDelimited);
        WriteVarint((ulong)payload.Length);
        _buffer.Write(payload);
    }

    public void WriteString(int number, string value) => WriteBytes(number, Encoding.UTF8.GetBytes(value));

    private void WriteKey(int number, WireType type) => WriteVarint(((ulong)number << 3) | (ulong)type);

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        int length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        _buffer.Advance(length);
    }
}
