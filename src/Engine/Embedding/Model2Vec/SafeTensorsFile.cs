using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MossGrains.Engine.Embedding.Model2Vec;

/// <summary>
/// Reads the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{"name": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]}, "__metadata__": {...}}</c>,
/// offsets relative to the byte after the header), then the raw little-endian tensor data.
/// </summary>
public sealed class SafeTensorsFile
{
    private readonly byte[] _bytes;
    private readonly long _dataStart;
    private readonly Dictionary<string, TensorEntry> _tensors;

    private SafeTensorsFile(string path, byte[] bytes, long dataStart, Dictionary<string, TensorEntry> tensors)
    {
        Path = path;
        _bytes = bytes;
        _dataStart = dataStart;
        _tensors = tensors;
    }

    public string Path { get; }

    public IReadOnlyCollection<string> TensorNames => _tensors.Keys;

    private sealed record TensorEntry(string DType, long[] Shape, long Begin, long End);

    public static SafeTensorsFile Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
        {
            throw Invalid(path, "it is shorter than the 8-byte header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8) || headerLength > 100_000_000)
        {
            throw Invalid(path, $"its header length {headerLength} exceeds the file");
        }

        long dataStart = 8 + (long)headerLength;
        var tensors = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (var property in header.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    continue;
                }

                var value = property.Value;
                string dtype = value.GetProperty("dtype").GetString() ?? string.Empty;
                long[] shape = [.. value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64())];
                long[] offsets = [.. value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64())];
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || dataStart + offsets[1] > bytes.Length)
                {
                    throw Invalid(path, $"tensor '{property.Name}' has data offsets outside the file");
                }

                long elements = shape.Aggregate(1L, (product, dimension) => checked(product * dimension));
                if (elements * ElementSize(dtype, path, property.Name) != offsets[1] - offsets[0])
                {
                    throw Invalid(path, $"tensor '{property.Name}' has {offsets[1] - offsets[0]} bytes, not shape × {dtype} size");
                }

                tensors[property.Name] = new TensorEntry(dtype, shape, offsets[0], offsets[1]);
            }
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw Invalid(path, $"its JSON header is malformed ({error.Message})");
        }

        return new SafeTensorsFile(path, bytes, dataStart, tensors);
    }

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public IReadOnlyList<long> GetShape(string name) => Entry(name).Shape;

    /// <summary>The tensor converted to float32 (from F32, F16, BF16 or I8), row-major.</summary>
    public float[] ReadSingles(string name)
    {
        var entry = Entry(name);
        var raw = Raw(entry);
        var result = new float[raw.Length / ElementSize(entry.DType, Path, name)];
        switch (entry.DType)
        {
            case "F32":
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                }

                break;
            case "F16":
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]);
                }

                break;
            case "BF16":
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]) << 16);
                }

                break;
            case "I8":
                var signed = MemoryMarshal.Cast<byte, sbyte>(raw);
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = signed[i];
                }

                break;
            default:
                throw Invalid(Path, $"tensor '{name}' has dtype {entry.DType}; floats need F32, F16, BF16 or I8");
        }

        return result;
    }

    /// <summary>The tensor converted to 64-bit integers (from I64 or I32).</summary>
    public long[] ReadIntegers(string name)
    {
        var entry = Entry(name);
        var raw = Raw(entry);
        return entry.DType switch
        {
            "I64" => [.. Enumerable.Range(0, raw.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan((int)(_dataStart + entry.Begin) + (i * 8))))],
            "I32" => [.. Enumerable.Range(0, raw.Length / 4).Select(i => (long)BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan((int)(_dataStart + entry.Begin) + (i * 4))))],
            _ => throw Invalid(Path, $"tensor '{name}' has dtype {entry.DType}; indices need I64 or I32"),
        };
    }

    private TensorEntry Entry(string name) =>
        _tensors.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"'{Path}' has no tensor '{name}' (it has: {string.Join(", ", _tensors.Keys)}).");

    private ReadOnlySpan<byte> Raw(TensorEntry entry) =>
        _bytes.AsSpan(checked((int)(_dataStart + entry.Begin)), checked((int)(entry.End - entry.Begin)));

    private static int ElementSize(string dtype, string path, string name) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => throw Invalid(path, $"tensor '{name}' has unknown dtype '{dtype}'"),
    };

    private static InvalidDataException Invalid(string path, string reason) =>
        new($"safetensors file '{path}' is refused: {reason}.");
}
