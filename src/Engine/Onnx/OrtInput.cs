namespace MossGrains.Engine.Onnx;

/// <summary>
/// One input of <see cref="OrtSession.Run"/>: a tensor over a caller-owned managed array, which
/// the run pins instead of copying.
/// </summary>
public readonly struct OrtInput
{
    private OrtInput(string name, OrtElementType elementType, Array data, int length, int elementSize, long[] shape)
    {
        Name = name;
        ElementType = elementType;
        Data = data;
        Length = length;
        ElementSize = elementSize;
        Shape = shape;
    }

    /// <summary>The model input this tensor feeds.</summary>
    public string Name { get; }

    public OrtElementType ElementType { get; }

    /// <summary>Dimensions of the tensor.</summary>
    public long[] Shape { get; }

    internal Array Data { get; }

    /// <summary>Elements used, from the start of <see cref="Data"/>.</summary>
    internal int Length { get; }

    internal int ElementSize { get; }

    /// <summary>An int64 tensor (token ids, masks) over the first <paramref name="length"/> elements of <paramref name="data"/>.</summary>
    public static OrtInput Int64Tensor(string name, long[] data, int length, long[] shape) =>
        Create(name, OrtElementType.Int64, data, length, sizeof(long), shape);

    /// <summary>A float tensor over the first <paramref name="length"/> elements of <paramref name="data"/>.</summary>
    public static OrtInput FloatTensor(string name, float[] data, int length, long[] shape) =>
        Create(name, OrtElementType.Float, data, length, sizeof(float), shape);

    private static OrtInput Create(string name, OrtElementType type, Array data, int length, int elementSize, long[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, data.Length);
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Input '{name}' has a negative dimension in shape [{string.Join(",", shape)}].", nameof(shape));
            }

            count *= dimension;
        }

        if (count != length)
        {
            throw new ArgumentException(
                $"Input '{name}': shape [{string.Join(",", shape)}] holds {count} elements but length is {length}.", nameof(shape));
        }

        return new OrtInput(name, type, data, length, elementSize, shape);
    }
}
