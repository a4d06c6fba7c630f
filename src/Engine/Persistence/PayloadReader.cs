using System.Runtime.InteropServices;
using System.Text;

namespace MossGrains.Engine.Persistence;

/// <summary>Bounds-checked little-endian reads over a byte array; running past the end is a truncated file.</summary>
internal sealed class PayloadReader
{
    private readonly byte[] _bytes;
    private readonly int _end;

    public PayloadReader(byte[] bytes, int start, int end)
    {
        _bytes = bytes;
        Position = start;
        _end = end;
    }

    public int Position { get; private set; }

    public int Remaining => _end - Position;

    public byte ReadByte() => Take(1)[0];

    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var b => throw new IndexFormatException($"Index binary is corrupted: expected a boolean at byte {Position - 1}, found {b}."),
    };

    public int ReadInt32() => MemoryMarshal.Read<int>(Take(4));

    public long ReadInt64() => MemoryMarshal.Read<long>(Take(8));

    /// <summary>A non-negative count no larger than <paramref name="max"/>.</summary>
    public int ReadCount(int max, string what)
    {
        int count = ReadInt32();
        return count >= 0 && count <= max
            ? count
            : throw new IndexFormatException($"Index binary is corrupted: {what} count {count} is out of range (0..{max}).");
    }

    public string ReadString()
    {
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw new IndexFormatException("Index binary is corrupted: bad string length.");
            }

            byte b = ReadByte();
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (length < 0)
        {
            throw new IndexFormatException("Index binary is corrupted: bad string length.");
        }

        return Encoding.UTF8.GetString(Take(length));
    }

    public int[] ReadInt32Array(int count)
    {
        var result = new int[count];
        Take(checked(count * 4)).CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    public void ReadFloats(Span<float> destination) => Take(checked(destination.Length * 4)).CopyTo(MemoryMarshal.AsBytes(destination));

    public ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || length > Remaining)
        {
            throw new IndexFormatException($"Index binary is truncated: needed {length} bytes at byte {Position}, {Math.Max(0, Remaining)} remain.");
        }

        var span = _bytes.AsSpan(Position, length);
        Position += length;
        return span;
    }
}
