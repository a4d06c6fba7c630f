using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;

namespace MossGrains.Bench.Onnx;

/// <summary>
/// <c>onnx-ab [model ids, comma-separated] [iterations]</c>: the 12-token text of <c>onnx</c> embedded by each model in
/// turn, one intra-op thread, the order rotating every iteration, so that a baseline and a candidate share whatever
/// else the machine is doing. Prints p50/p95/p99 per model, the p50 ratio to the first, and the cosine of each model's
/// vectors to the first's for a few sentences. Then the first model's <c>Embed</c> against a bare run of its ONNX Runtime
/// session with inputs and output bound once (IOBinding: no tokenization, per-call allocations, pooling): the most that
/// pre-allocating could save.
/// </summary>
internal static class QueryLatencyComparison
{
    private static readonly string[] Sentences =
    [
        "where is my refund",
        "Vitamin D deficiency increases fracture risk in older adults.",
        "The mitochondria is the powerhouse of the cell, producing ATP through oxidative phosphorylation.",
    ];

    public static int Run(string[] args)
    {
        string[] modelIds = args.Length > 0 ? args[0].Split(',') : ["moss-minilm-int8", CandidateModels.Int7];
        int iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        var embedders = modelIds.Select(id => OnnxBenchmark.Open(id, new OnnxEmbedderOptions { IntraOpThreads = 1 })).ToArray();
        try
        {
            var text = OnnxBenchmark.TextOfTokens(embedders[0].Settings.Tokenizer, OnnxBenchmark.QueryWords, 12);
            var vector = new float[embedders[0].Info.Dimensions];
            var times = embedders.Select(_ => new double[iterations]).ToArray();
            for (int i = -50; i < iterations; i++)
            {
                for (int turn = 0; turn < embedders.Length; turn++)
                {
                    int m = (((i + turn) % embedders.Length) + embedders.Length) % embedders.Length;
                    long started = Stopwatch.GetTimestamp();
                    embedders[m].Embed([text], vector, EmbeddingPurpose.Document);
                    if (i >= 0)
                    {
                        times[m][i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                }
            }

            Console.WriteLine($"12-token text, 1 intra-op thread, {iterations} iterations per model, interleaved:");
            double baseline = 0;
            for (int m = 0; m < embedders.Length; m++)
            {
                Array.Sort(times[m]);
                double p50 = BenchReport.Percentile(times[m], 50);
                baseline = m == 0 ? p50 : baseline;
                var cosines = Sentences.Select(s => TensorPrimitives.CosineSimilarity(Vector(embedders[0], s), Vector(embedders[m], s)));
                Console.WriteLine($"   {modelIds[m],-18} {BenchReport.Summary(times[m])}  p50 ratio to {modelIds[0]} {p50 / baseline:F2}; cosine to it {string.Join(" / ", cosines.Select(c => c.ToString("F4", CultureInfo.InvariantCulture)))}");
            }

            CompareWithBoundRun(embedders[0], text, iterations);
        }
        finally
        {
            foreach (var embedder in embedders)
            {
                embedder.Dispose();
            }
        }

        return 0;
    }

    private static void CompareWithBoundRun(OnnxTextEmbedder embedder, string text, int iterations)
    {
        var session = embedder.Session;
        var ids = embedder.Settings.Tokenizer.Encode(text).Select(id => (long)id).ToArray();
        long[] shape = [1, ids.Length];
        long[] ones = [.. Enumerable.Repeat(1L, ids.Length)];
        var inputs = new Dictionary<string, long[]> { ["input_ids"] = ids, ["attention_mask"] = ones, ["token_type_ids"] = new long[ids.Length] };
        var values = new List<OrtValue>();
        using var binding = session.CreateIoBinding();
        try
        {
            foreach (var name in session.InputMetadata.Keys)
            {
                values.Add(OrtValue.CreateTensorValueFromMemory(inputs[name], shape));
                binding.BindInput(name, values[^1]);
            }

            var hidden = new float[ids.Length * embedder.Info.Dimensions];
            values.Add(OrtValue.CreateTensorValueFromMemory(hidden, [1, ids.Length, embedder.Info.Dimensions]));
            binding.BindOutput(session.OutputMetadata.Keys.First(), values[^1]);
            using var run = new RunOptions();
            var vector = new float[embedder.Info.Dimensions];
            var embedTimes = new double[iterations];
            var boundTimes = new double[iterations];
            for (int i = -50; i < iterations; i++)
            {
                long started = Stopwatch.GetTimestamp();
                embedder.Embed([text], vector, EmbeddingPurpose.Document);
                double embedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                started = Stopwatch.GetTimestamp();
                session.RunWithBinding(run, binding);
                if (i >= 0)
                {
                    (boundTimes[i], embedTimes[i]) = (Stopwatch.GetElapsedTime(started).TotalMilliseconds, embedMs);
                }
            }

            Array.Sort(embedTimes);
            Array.Sort(boundTimes);
            Console.WriteLine($"{embedder.Info.ModelId}, interleaved: Embed                {BenchReport.Summary(embedTimes)}");
            Console.WriteLine($"{embedder.Info.ModelId}, interleaved: bound run (IOBinding) {BenchReport.Summary(boundTimes)}");
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private static float[] Vector(OnnxTextEmbedder embedder, string text)
    {
        var vector = new float[embedder.Info.Dimensions];
        embedder.Embed([text], vector, EmbeddingPurpose.Document);
        return vector;
    }
}
