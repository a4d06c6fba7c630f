using System.Runtime.InteropServices;

namespace MossGrains.Runtime.Serialization.Codecs;

/// <summary>The built-in encodings of scalars, strings, byte arrays and the vector fast path.</summary>
internal static class PrimitiveCodecs
{
    public static IEnumerable<Codec> All()
    {
        yield return new DelegateCodec<bool>((w, v) => w.WriteByte(v ? (byte)1 : (byte)0), r => r.ReadByte("a bool") switch
        {
            0 => false,
            1 => true,
            var b => throw r.Invalid($"The payload holds {b} where a bool (0 or 1) is expected"),
        });
        yield return new DelegateCodec<byte>((w, v) => w.WriteByte(v), r => r.ReadByte("a byte"));
        yield return new DelegateCodec<sbyte>((w, v) => w.WriteByte((byte)v), r => (sbyte)r.ReadByte("an sbyte"));
        yield return new DelegateCodec<short>((w, v) => w.WriteVarInt64(v), r => checked((short)r.ReadVarInt64("an Int16")));
        yield return new DelegateCodec<ushort>((w, v) => w.WriteVarUInt64(v), r => checked((ushort)r.ReadVarUInt64("a UInt16")));
        yield return new DelegateCodec<int>((w, v) => w.WriteVarInt64(v), r => checked((int)r.ReadVarInt64("an Int32")));
        yield return new DelegateCodec<uint>((w, v) => w.WriteVarUInt64(v), r => checked((uint)r.ReadVarUInt64("a UInt32")));
        yield return new DelegateCodec<long>((w, v) => w.WriteVarInt64(v), r => r.ReadVarInt64("an Int64"));
        yield return new DelegateCodec<ulong>((w, v) => w.WriteVarUInt64(v), r => r.ReadVarUInt64("a UInt64"));
        yield return new DelegateCodec<char>((w, v) => w.WriteVarUInt64(v), r => checked((char)r.ReadVarUInt64("a Char")));
        yield return new DelegateCodec<float>((w, v) => w.WriteSingle(v), r => r.ReadSingle("a Single"), 4);
        yield return new DelegateCodec<double>((w, v) => w.WriteDouble(v), r => r.ReadDouble("a Double"), 8);
        yield return new DelegateCodec<decimal>(WriteDecimal, ReadDecimal, 16);
        yield return new DelegateCodec<string>((w, v) => w.WriteString(v), r => r.ReadString("a String"));
        yield return new DelegateCodec<byte[]>(
            (w, v) =>
            {
                w.WriteVarUInt64((ulong)v.Length);
                w.WriteBytes(v);
            },
            r => r.ReadSpan(r.ReadCount("a byte array length", 1), "a byte array").ToArray());
        yield return new DelegateCodec<Guid>(
            (w, v) =>
            {
                Span<byte> bytes = stackalloc byte[16];
                v.TryWriteBytes(bytes);
                w.WriteBytes(bytes);
            },
            r => new Guid(r.ReadSpan(16, "a Guid")),
            16);
        yield return new DelegateCodec<DateTime>((w, v) => w.WriteInt64Fixed(v.ToBinary()), r => DateTime.FromBinary(r.ReadInt64Fixed("a DateTime")), 8);
        yield return new DelegateCodec<DateTimeOffset>(
            (w, v) =>
            {
                w.WriteInt64Fixed(v.Ticks);
                w.WriteVarInt64((long)v.Offset.TotalMinutes);
            },
            r => new DateTimeOffset(r.ReadInt64Fixed("a DateTimeOffset"), TimeSpan.FromMinutes(r.ReadVarInt64("a DateTimeOffset offset"))),
            9);
        yield return new DelegateCodec<TimeSpan>((w, v) => w.WriteVarInt64(v.Ticks), r => new TimeSpan(r.ReadVarInt64("a TimeSpan")));
        yield return new DelegateCodec<DateOnly>((w, v) => w.WriteVarInt64(v.DayNumber), r => DateOnly.FromDayNumber(checked((int)r.ReadVarInt64("a DateOnly"))));
        yield return new DelegateCodec<TimeOnly>((w, v) => w.WriteVarInt64(v.Ticks), r => new TimeOnly(r.ReadVarInt64("a TimeOnly")));
        if (BitConverter.IsLittleEndian)
        {
            yield return new BlittableArrayCodec<float>();
            yield return new BlittableArrayCodec<double>();
        }
    }

    private static void WriteDecimal(MessageWriter writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        foreach (int part in bits)
        {
            writer.WriteInt32Fixed(part);
        }
    }

    private static decimal ReadDecimal(MessageReader reader)
    {
        Span<int> bits = stackalloc int[4];
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = reader.ReadInt32Fixed("a Decimal");
        }

        return new decimal(bits);
    }
}

/// <summary>Arrays of fixed-size numbers (embedding vectors) as a length and their raw little-endian bytes.</summary>
internal sealed class BlittableArrayCodec<T>() : Codec(typeof(T[]))
    where T : unmanaged
{
    public override void Write(MessageWriter writer, object value)
    {
        var array = (T[])value;
        writer.WriteVarUInt64((ulong)array.Length);
        writer.WriteBytes(MemoryMarshal.AsBytes(array.AsSpan()));
    }

    public override object Read(MessageReader reader)
    {
        int size = Marshal.SizeOf<T>();
        int count = reader.ReadCount($"a {typeof(T).Name}[] length", size);
        var array = new T[count];
        reader.ReadSpan(count * size, $"a {typeof(T).Name}[]").CopyTo(MemoryMarshal.AsBytes(array.AsSpan()));
        return array;
    }
}

/// <summary>Enums as their underlying integer.</summary>
internal sealed class EnumCodec(Type enumType, Codec underlying) : Codec(enumType)
{
    public override int MinSize => underlying.MinSize;

    public override void Write(MessageWriter writer, object value) =>
        underlying.Write(writer, Convert.ChangeType(value, underlying.Type, System.Globalization.CultureInfo.InvariantCulture));

    public override object Read(MessageReader reader) => Enum.ToObject(Type, underlying.Read(reader));
}
