namespace MossGrains.Engine.Session;

/// <summary>
/// Checks caller-supplied vectors: expected length and finite values. An all-zero vector is allowed (models return one
/// for text without known words); it is stored as zeros and scores 0 against everything.
/// </summary>
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

        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new ArgumentException($"{paramName}[{i}] is {vector[i]}; embeddings must be finite (no NaN or infinity).", paramName);
            }
        }
    }
}
