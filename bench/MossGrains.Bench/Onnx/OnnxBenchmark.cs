using System.Diagnostics;
using System.Globalization;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Bench.Onnx;

/// <summary>
/// <c>onnx [model ids, comma-separated] [iterations]</c>: per model (default moss-minilm-fp32, moss-minilm-int8,
/// moss-arctic-xs), a 12-token query and a 64-token chunk embedded alone at 1 and 2 intra-op threads, then
/// ingest throughput: 2,000 chunks of ~30 and of ~200 tokens embedded in one call (length-sorted, dynamically
/// padded batches of 32, one ONNX Runtime thread per batch, batches on every core).
/// </summary>
internal static class OnnxBenchmark
{
    internal const string QueryWords = "how do i reset my account password after it has expired again today please";
    private const string ChunkWords = "Refunds are issued to the original payment method within five business days after the returned item " +
        "reaches our warehouse and passes inspection. Items must be unused, in their original packaging, and returned within thirty " +
        "days of delivery; final-sale goods, gift cards and personalised products cannot be returned. If a refund has not arrived after " +
        "ten business days, contact support with your order number and we will trace the payment with your bank.";

    private const int IngestChunks = 2000;

    public static Task<int> RunAsync(string[] args)
    {
        string[] modelIds = args.Length > 0 && args[0] != "default" ? args[0].Split(',') : ["moss-minilm-fp32", "moss-minilm-int8", "moss-arctic-xs"];
        int iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        Console.WriteLine($"ONNX Runtime: NuGet Microsoft.ML.OnnxRuntime {typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version}");
        foreach (var modelId in modelIds)
        {
            MeasureQueries(modelId, iterations);
            MeasureIngest(modelId);
        }

        return Task.FromResult(0);
    }

    private static void MeasureQueries(string modelId, int iterations)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            using var embedder = Open(modelId, new OnnxEmbedderOptions { IntraOpThreads = threads });
            var tokenizer = embedder.Settings.Tokenizer;
            var query = TextOfTokens(tokenizer, QueryWords, 12);
            var chunk = TextOfTokens(tokenizer, ChunkWords, 64);
            var vector = new float[embedder.Info.Dimensions];
            Console.WriteLine($"-- {modelId}, intra-op threads: {threads} ({embedder.Info.Dimensions} dims)");
            var queryTimes = BenchReport.Time(30, iterations, () => embedder.Embed([query], vector, EmbeddingPurpose.Document));
            Console.WriteLine($"   text of 12 tokens:  {BenchReport.Summary(queryTimes)}");
            var chunkTimes = BenchReport.Time(20, iterations, () => embedder.Embed([chunk], vector, EmbeddingPurpose.Document));
            Console.WriteLine($"   text of 64 tokens:  {BenchReport.Summary(chunkTimes)}");
        }
    }

    private static void MeasureIngest(string modelId)
    {
        using var embedder = Open(modelId, new OnnxEmbedderOptions { IntraOpThreads = 1 });
        var random = new Random(42);
        foreach (int tokens in new[] { 30, 200 })
        {
            // Lengths spread ±30% around the target, as real chunks are: what length-sorted batching is for.
            var texts = Enumerable.Range(0, IngestChunks)
                .Select(i => TextOfTokens(embedder.Settings.Tokenizer, ChunkWords, Math.Max(4, (int)(tokens * (0.7 + (0.6 * random.NextDouble()))))))
                .ToArray();
            double meanTokens = texts.Average(t => embedder.Settings.Tokenizer.Encode(t).Length);
            var output = new float[texts.Length * embedder.Info.Dimensions];
            embedder.Embed(texts.AsSpan(0, 64), output.AsSpan(0, 64 * embedder.Info.Dimensions), EmbeddingPurpose.Document);
            var watch = Stopwatch.StartNew();
            embedder.Embed(texts, output, EmbeddingPurpose.Document);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   ingest {modelId}, {texts.Length} chunks of ~{tokens} tokens (mean {meanTokens:F0}): {texts.Length / watch.Elapsed.TotalSeconds:F0} chunks/s on {Environment.ProcessorCount} cores"));
        }
    }

    internal static OnnxTextEmbedder Open(string modelId, OnnxEmbedderOptions options) =>
        (OnnxTextEmbedder)CandidateModels.Register(new EmbedderCatalog(new EmbedderOptions { ModelDirectory = BenchPaths.Catalog.Options.ModelDirectory, Onnx = options })).Resolve(modelId)!;

    /// <summary>The longest prefix of <paramref name="words"/> (repeated as needed) that encodes to at most <paramref name="tokens"/> tokens, [CLS]/[SEP] included.</summary>
    internal static string TextOfTokens(BertTokenizer tokenizer, string words, int tokens)
    {
        var pool = Enumerable.Repeat(words.Split(' '), 1 + (tokens / 40)).SelectMany(w => w).ToArray();
        for (int count = Math.Min(pool.Length, tokens); count > 0; count--)
        {
            var text = string.Join(' ', pool.Take(count));
            if (tokenizer.Encode(text).Length <= tokens)
            {
                return text;
            }
        }

        throw new InvalidOperationException($"No prefix of the sample text encodes to {tokens} tokens.");
    }
}
