using System.Numerics.Tensors;

namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>
/// A row-major matrix of word vectors held as float32 or float16. Float16 halves the memory of the
/// shipped model (68 MB instead of 137 MB) and is loaded straight from the file; rows are widened to
/// float32 only while they are summed.
/// </summary>
public sealed class VectorRows
{
    private readonly float[]? _singles;
    private readonly Half[]? _halves;

    public VectorRows(float[] values, int dimensions)
        : this((Array)values, dimensions)
    {
        _singles = values;
    }

    public VectorRows(Half[] values, int dimensions)
        : this((Array)values, dimensions)
    {
        _halves = values;
    }

    private VectorRows(Array values, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        if (values.Length % dimensions != 0)
        {
            throw new ArgumentException($"{values.Length} values are not a whole number of {dimensions}-dimension rows.", nameof(values));
        }

        Dimensions = dimensions;
        Count = values.Length / dimensions;
    }

    public int Dimensions { get; }

    public int Count { get; }

    public bool IsFloat16 => _halves is not null;

    /// <summary>Writes row <paramref name="row"/> as float32 into <paramref name="destination"/>.</summary>
    public void CopyRow(int row, Span<float> destination)
    {
        if (_singles is not null)
        {
            _singles.AsSpan(row * Dimensions, Dimensions).CopyTo(destination);
        }
        else
        {
            TensorPrimitives.ConvertToSingle(_halves.AsSpan(row * Dimensions, Dimensions), destination);
        }
    }

    /// <summary><c>accumulator += scale · row</c>; <paramref name="scratch"/> (Dimensions floats) is used for float16 rows.</summary>
    public void AddScaledRow(int row, float scale, Span<float> accumulator, Span<float> scratch)
    {
        if (_singles is not null)
        {
            TensorPrimitives.MultiplyAdd(_singles.AsSpan(row * Dimensions, Dimensions), scale, accumulator, accumulator);
        }
        else
        {
            TensorPrimitives.ConvertToSingle(_halves.AsSpan(row * Dimensions, Dimensions), scratch);
            TensorPrimitives.MultiplyAdd(scratch, scale, accumulator, accumulator);
        }
    }
}
