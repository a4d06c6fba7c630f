using System.Numerics.Tensors;

namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>
/// Smooth inverse frequency (Arora, Liang &amp; Ma, 2017) for vocabularies that carry frequency ranks
/// but no counts. The unigram probability of the word of rank <c>r</c> in a vocabulary of <c>N</c>
/// words is estimated by Zipf's law with exponent 1, normalised over the vocabulary:
/// <c>p(r) = 1 / (r · H_N)</c>, where <c>H_N = Σ_{k=1..N} 1/k</c> (≈ 13.3 for N = 341,479).
/// The token weight is <c>a / (a + p(r))</c>.
/// </summary>
public static class SifWeighting
{
    /// <summary>Default SIF constant, chosen on the SciFact train split (docs/embedders.md has the measurements).</summary>
    public const float DefaultSmoothing = 3e-5f;

    /// <summary>Default sentence length (tokens) the common component is computed for.</summary>
    public const float DefaultReferenceSentenceLength = 20f;

    /// <summary>Zipf probability of each rank (index 0 = rank 1).</summary>
    public static double[] ZipfProbabilities(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        double harmonic = 0;
        for (int rank = count; rank >= 1; rank--)
        {
            harmonic += 1.0 / rank;
        }

        var probabilities = new double[count];
        for (int i = 0; i < count; i++)
        {
            probabilities[i] = 1.0 / ((i + 1) * harmonic);
        }

        return probabilities;
    }

    /// <summary>SIF weight of each row of a rank-ordered vocabulary; all 1 when <paramref name="smoothing"/> is 0.</summary>
    public static float[] RankWeights(int count, float smoothing)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(smoothing);
        var weights = new float[count];
        if (smoothing == 0)
        {
            Array.Fill(weights, 1f);
            return weights;
        }

        var probabilities = ZipfProbabilities(count);
        for (int i = 0; i < count; i++)
        {
            weights[i] = (float)(smoothing / (smoothing + probabilities[i]));
        }

        return weights;
    }

    /// <summary>
    /// The common component to remove: the first principal (uncentred) direction of SIF sentence
    /// vectors. Without a reference corpus it is computed in closed form for sentences of
    /// <paramref name="sentenceLength"/> tokens drawn independently from the Zipf unigram
    /// distribution: with <c>x = w(r)·v_r</c> for a random word, the sentence average <c>s</c> has
    /// second moment <c>E[s sᵀ] = μ μᵀ + (E[x xᵀ] − μ μᵀ) / n</c>, <c>μ = E[x]</c>; its top
    /// eigenvector (power iteration) is the direction every sentence shares.
    /// </summary>
    public static float[] CommonComponent(StaticVectorModel model, float smoothing, float sentenceLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(sentenceLength, 1f);
        int dims = model.Dimensions;
        var probabilities = ZipfProbabilities(model.Count);
        var weights = RankWeights(model.Count, smoothing);
        var mean = new double[dims];
        var second = new double[dims * dims];
        var x = new double[dims];
        var vector = new float[dims];
        for (int id = 0; id < model.Count; id++)
        {
            model.CopyVector(id, vector);
            double p = probabilities[id];
            for (int d = 0; d < dims; d++)
            {
                x[d] = weights[id] * vector[d];
                mean[d] += p * x[d];
            }

            for (int i = 0; i < dims; i++)
            {
                double pxi = p * x[i];
                var row = second.AsSpan(i * dims, dims);
                for (int j = 0; j < dims; j++)
                {
                    row[j] += pxi * x[j];
                }
            }
        }

        var moment = new double[dims * dims];
        for (int i = 0; i < dims; i++)
        {
            for (int j = 0; j < dims; j++)
            {
                double outer = mean[i] * mean[j];
                moment[(i * dims) + j] = outer + ((second[(i * dims) + j] - outer) / sentenceLength);
            }
        }

        return TopEigenvector(moment, dims);
    }

    private static float[] TopEigenvector(double[] symmetric, int dims)
    {
        var v = new double[dims];
        Array.Fill(v, 1.0 / Math.Sqrt(dims));
        var next = new double[dims];
        for (int iteration = 0; iteration < 500; iteration++)
        {
            for (int i = 0; i < dims; i++)
            {
                next[i] = TensorPrimitives.Dot<double>(symmetric.AsSpan(i * dims, dims), v);
            }

            double norm = TensorPrimitives.Norm<double>(next);
            TensorPrimitives.Divide(next, norm, next);
            double change = TensorPrimitives.Distance<double>(next, v);
            (v, next) = (next, v);
            if (change < 1e-10)
            {
                break;
            }
        }

        var result = new float[dims];
        for (int i = 0; i < dims; i++)
        {
            result[i] = (float)v[i];
        }

        return result;
    }
}
