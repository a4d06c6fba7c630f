using System.Diagnostics;
using System.Globalization;
using MossGrains.Bench.Beir;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Bench.Onnx;

/// <summary>
/// <c>tokenizer [model dir] [corpus.jsonl]</c>: latency and allocation of tokenizing a 30-word
/// utterance, and throughput over BEIR SciFact abstracts, with the all-MiniLM-L6-v2 tokenizer.
/// </summary>
internal static class TokenizerBenchmark
{
    public const string Utterance = "Hi, I ordered running shoes last Tuesday and the tracking page says label created, " +
        "so could you tell me when it will ship and if I can change the address?";

    public static Task<int> RunAsync(string[] args)
    {
        var shared = BenchPaths.Shared;
        var modelDir = args.Length > 0 ? args[0] : Path.Combine(shared, "models", "all-MiniLM-L6-v2");
        var corpus = args.Length > 1 ? args[1] : Path.Combine(shared, "beir", "scifact", "corpus.jsonl");
        var tokenizer = BertTokenizerLoader.FromDirectory(modelDir);
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        Console.WriteLine($"tokenizer: {tokenizer.Source}");

        var ids = new List<int>(256);
        var words = Utterance.Split(' ').Length;
        var samples = BenchReport.Time(2_000, 20_000, () =>
        {
            ids.Clear();
            tokenizer.Encode(Utterance, ids);
        });
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            ids.Clear();
            tokenizer.Encode(Utterance, ids);
        }

        long allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / 1_000;
        long arrayBefore = GC.GetAllocatedBytesForCurrentThread();
        var array = tokenizer.Encode(Utterance);
        long arrayAllocated = GC.GetAllocatedBytesForCurrentThread() - arrayBefore;
        Console.WriteLine($"{words}-word utterance ({ids.Count} tokens), Encode into a reused List<int>: {BenchReport.Summary(samples, "µs", 1000)}");
        Console.WriteLine($"  allocated per call: {allocated} B into a reused list; {arrayAllocated} B for Encode(string) returning int[{array.Length}]");

        if (File.Exists(corpus))
        {
            var texts = BeirDataset.ReadCorpus(corpus).Take(2_000).Select(d => d.IndexedText).ToArray();
            long chars = texts.Sum(t => (long)t.Length);
            long tokens = 0;
            foreach (var text in texts)
            {
                ids.Clear();
                tokenizer.Encode(text, ids);
                tokens += ids.Count;
            }

            var watch = Stopwatch.StartNew();
            int rounds = 3;
            for (int r = 0; r < rounds; r++)
            {
                foreach (var text in texts)
                {
                    ids.Clear();
                    tokenizer.Encode(text, ids);
                }
            }

            double seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"throughput on {texts.Length} SciFact abstracts (no truncation): {rounds * tokens / seconds / 1e6:F2} M tokens/s, {rounds * chars / seconds / 1e6:F1} M chars/s, {rounds * texts.Length / seconds:F0} texts/s (1 thread)"));
        }
        else
        {
            Console.WriteLine($"(throughput skipped: {corpus} not found)");
        }

        return Task.FromResult(0);
    }
}
