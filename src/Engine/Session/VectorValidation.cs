namespace MossGrains.Engine.Session;

/// <summary>Checks caller-supplied vectors: expected length, finite values, not all zero (cosine needs a direction).</summary>
internal static class VectorValidation
{
    public static void Check(float[] vector, int expectedDimensions, string paramName)
    {
        if (expectedDimensions > 0 && vector.Length != expectedDimensions)
        {
            throw new ArgumentException($"{paramName} has {vector.Length} dimensions; this index expects {expectedDimensions}.", paramName);
        }

        if (vector.Length == 0)
        {
            throw new ArgumentException($"{paramName} must not be empty.", paramName);
        }

        bool nonZero = false;
        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new ArgumentException($"{paramName}[{i}] is {vector[i]}; embeddings must be finite (no NaN or infinity).", paramName);
            }

            nonZero |= vector[i] != 0;
        }

        if (!nonZero)
        {
            throw new ArgumentException($"{paramName} is all zeros; it has no direction to compare.", paramName);
        }
    }
}
