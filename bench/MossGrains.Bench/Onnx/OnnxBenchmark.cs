using System.Diagnostics;
using System.Globalization;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Onnx;

namespace MossGrains.Bench.Onnx;

/// <summary>
/// <c>onnx [model dir] [iterations]</c>: embedding latency (12-token query, 64-token chunk) and
/// batch throughput at 1 and 2 intra-op threads. Default models: <c>.native/models/minilm-shaped</c>
/// (fp32) and <c>minilm-shaped-int8</c> (int8 dense layers), exactly all-MiniLM-L6-v2's shapes with
/// random weights (made by eng/test-setup.d/31-onnx-test-assets.sh).
/// </summary>
internal static class OnnxBenchmark
{
    internal const string QueryWords = "how do i reset my account password after it has expired again today please";
    private const string ChunkWords = "Refunds are issued to the original payment method within five business days after the returned item " +
        "reaches our warehouse and passes inspection. Items must be unused, in their original packaging, and returned within thirty " +
        "days of delivery; final-sale goods, gift cards and personalised products cannot be returned. If a refund has not arrived after " +
        "ten business days, contact support with your order number and we will trace the payment with your bank.";

    public static Task<int> RunAsync(string[] args)
    {
        var native = MossPaths.NativeDirectory;
        string[] modelDirs = args.Length > 0 && args[0] != "default"
            ? [args[0]]
            : [Path.Combine(native, "models", "minilm-shaped"), Path.Combine(native, "models", "minilm-shaped-int8")];
        int iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        if (modelDirs.FirstOrDefault(d => !Directory.Exists(d)) is { } missing)
        {
            Console.Error.WriteLine($"Model folder '{missing}' not found. Make it with: /usr/bin/python3 eng/tools/tiny-bert/make_model.py --preset minilm [--quantize] " +
                $"--tokenizer-dir ../shared/models/all-MiniLM-L6-v2 --out {missing} (or run eng/test.sh once).");
            return Task.FromResult(2);
        }

        Console.WriteLine($"machine: {BenchReport.Machine()}");
        Console.WriteLine($"ONNX Runtime {OrtLibrary.Default.Version} ({OrtLibrary.Default.LibraryPath})");
        foreach (var modelDir in modelDirs)
        {
            Measure(modelDir, iterations);
        }

        return Task.FromResult(0);
    }

    private static void Measure(string modelDir, int iterations)
    {
        Console.WriteLine($"model {modelDir}");
        foreach (int threads in new[] { 1, 2 })
        {
            using var embedder = OnnxTextEmbedder.Open(modelDir, new OnnxEmbedderOptions { IntraOpThreads = threads });
            var tokenizer = embedder.Folder.Tokenizer;
            var query = TextOfTokens(tokenizer, QueryWords, 12);
            var chunk = TextOfTokens(tokenizer, ChunkWords, 64);
            var vector = new float[embedder.Info.Dimensions];
            Console.WriteLine($"-- intra-op threads: {threads} ({embedder.Info.ModelId}, {embedder.Info.Dimensions} dims)");
            var queryTimes = BenchReport.Time(30, iterations, () => embedder.Embed([query], vector, EmbeddingPurpose.Query));
            Console.WriteLine($"   query, 12 tokens:  {BenchReport.Summary(queryTimes)}");
            var chunkTimes = BenchReport.Time(20, iterations, () => embedder.Embed([chunk], vector, EmbeddingPurpose.Document));
            Console.WriteLine($"   chunk, 64 tokens:  {BenchReport.Summary(chunkTimes)}");
            foreach (int batchSize in new[] { 8, 32 })
            {
                var texts = Enumerable.Repeat(chunk, batchSize).ToArray();
                var output = new float[batchSize * embedder.Info.Dimensions];
                embedder.Embed(texts, output, EmbeddingPurpose.Document);
                int rounds = Math.Max(3, iterations / 20);
                var watch = Stopwatch.StartNew();
                for (int r = 0; r < rounds; r++)
                {
                    embedder.Embed(texts, output, EmbeddingPurpose.Document);
                }

                double perSecond = rounds * batchSize / watch.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   batch of {batchSize} × 64-token chunks: {perSecond:F0} chunks/s ({watch.Elapsed.TotalMilliseconds / rounds:F1} ms per batch, {rounds} batches)"));
            }
        }
    }

    /// <summary>The longest prefix of <paramref name="words"/> (repeated as needed) that encodes to exactly <paramref name="tokens"/> tokens, [CLS]/[SEP] included.</summary>
    internal static string TextOfTokens(MossGrains.Engine.Tokenization.BertTokenizer tokenizer, string words, int tokens)
    {
        var pool = Enumerable.Repeat(words.Split(' '), 10).SelectMany(w => w).ToArray();
        for (int count = pool.Length; count > 0; count--)
        {
            var text = string.Join(' ', pool.Take(count));
            if (tokenizer.Encode(text).Length == tokens)
            {
                return text;
            }
        }

        throw new InvalidOperationException($"No prefix of the sample text encodes to {tokens} tokens.");
    }
}
