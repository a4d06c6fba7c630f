using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Engine.Tests.Embedding;

/// <summary>Small rank-ordered word models built in memory for tests.</summary>
internal static class TinyStaticModels
{
    public static readonly string[] Words =
    [
        "the", "of", "and", "cat", "kitten", "dog", "puppy", "car", "engine", "state-of-the-art", "state", "art", "cafe", "h1n1", "virus",
    ];

    /// <summary>Deterministic pseudo-random vectors; "cat"/"kitten" and "dog"/"puppy" and "car"/"engine" are near each other.</summary>
    public static StaticVectorModel Create(int dimensions = 8, StaticPooling? pooling = null)
    {
        var random = new Random(1234);
        var vectors = new float[Words.Length * dimensions];
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = (float)((random.NextDouble() * 2) - 1);
        }

        MakeNear(vectors, dimensions, "cat", "kitten");
        MakeNear(vectors, dimensions, "dog", "puppy");
        MakeNear(vectors, dimensions, "car", "engine");
        return new StaticVectorModel("tiny-test@1", "unit test", Words, new VectorRows(vectors, dimensions), wordsInRankOrder: true, pooling ?? new StaticPooling(1e-2f, 0, null, true));
    }

    private static void MakeNear(float[] vectors, int dimensions, string anchor, string neighbour)
    {
        int a = Array.IndexOf(Words, anchor) * dimensions;
        int b = Array.IndexOf(Words, neighbour) * dimensions;
        for (int d = 0; d < dimensions; d++)
        {
            vectors[b + d] = vectors[a + d] + (0.05f * (d % 2 == 0 ? 1 : -1));
        }
    }
}
