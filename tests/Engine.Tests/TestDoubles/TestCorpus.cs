using MossGrains.Engine.Session;

namespace MossGrains.Engine.Tests.TestDoubles;

/// <summary>Small fixed documents and random vectors shared by the engine tests.</summary>
internal static class TestCorpus
{
    public static readonly DocumentInfo[] Animals =
    [
        new("cat", "The cat sleeps on the warm sofa all afternoon", new Dictionary<string, string> { ["kind"] = "pet", ["legs"] = "4", ["city"] = "Paris", ["loc"] = "48.8566,2.3522" }),
        new("dog", "A loyal dog runs in the park chasing a ball", new Dictionary<string, string> { ["kind"] = "pet", ["legs"] = "4", ["city"] = "Berlin", ["loc"] = "52.52,13.405" }),
        new("eagle", "The eagle flies high over snowy mountains", new Dictionary<string, string> { ["kind"] = "wild", ["legs"] = "2", ["city"] = "Zurich", ["loc"] = "47.3769,8.5417" }),
        new("salmon", "Salmon swim upstream in cold rivers to spawn", new Dictionary<string, string> { ["kind"] = "wild", ["legs"] = "0", ["city"] = "Oslo", ["loc"] = "59.9139,10.7522" }),
        new("parrot", "A parrot talks and repeats words it hears at home", new Dictionary<string, string> { ["kind"] = "pet", ["legs"] = "2", ["city"] = "Paris", ["loc"] = "48.86,2.35" }),
        new("spider", "The spider spins a web to catch flies", new Dictionary<string, string> { ["kind"] = "wild", ["legs"] = "8", ["city"] = "Lyon", ["loc"] = "45.764,4.8357" }),
    ];

    /// <summary>Unit-free Gaussian vectors from a fixed seed (Box–Muller).</summary>
    public static float[][] GaussianVectors(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (int i = 0; i < count; i++)
        {
            vectors[i] = new float[dimensions];
            for (int d = 0; d < dimensions; d++)
            {
                double u1 = 1.0 - random.NextDouble();
                double u2 = random.NextDouble();
                vectors[i][d] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
        }

        return vectors;
    }

    /// <summary>
    /// Clustered vectors (random centres plus noise), closer to real sentence embeddings than isotropic noise:
    /// neighbourhoods exist, as they do in text.
    /// </summary>
    public static float[][] ClusteredVectors(int count, int dimensions, int clusters, float noise, int seed)
    {
        var centres = GaussianVectors(clusters, dimensions, seed);
        var offsets = GaussianVectors(count, dimensions, seed + 1);
        var random = new Random(seed + 2);
        var vectors = new float[count][];
        for (int i = 0; i < count; i++)
        {
            var centre = centres[random.Next(clusters)];
            vectors[i] = new float[dimensions];
            for (int d = 0; d < dimensions; d++)
            {
                vectors[i][d] = centre[d] + (noise * offsets[i][d]);
            }
        }

        return vectors;
    }
}
