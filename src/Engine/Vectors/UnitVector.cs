using System.Numerics.Tensors;

namespace MossGrains.Engine.Vectors;

/// <summary>L2 normalisation shared by stored and query vectors, so cosine similarity is a dot product.</summary>
internal static class UnitVector
{
    /// <summary>Writes <paramref name="vector"/> scaled to length 1 into <paramref name="destination"/> (may be the same span).</summary>
    public static void Normalize(ReadOnlySpan<float> vector, Span<float> destination)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(vector, norm, destination);
        }
        else
        {
            // A model can return a zero vector for text it has no words for: kept as zeros, it scores 0 against everything.
            destination[..vector.Length].Clear();
        }
    }
}
