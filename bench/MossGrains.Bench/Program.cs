using System.Globalization;

// Benchmark dispatcher. Each verb lives in its own file; see bench/MossGrains.Bench/*/.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string verb = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
switch (verb)
{
    case "onnx":
        return await MossGrains.Bench.Onnx.OnnxBenchmark.RunAsync(rest);
    case "tokenizer":
        return await MossGrains.Bench.Onnx.TokenizerBenchmark.RunAsync(rest);
    case "runtime":
        return await MossGrains.Bench.RuntimeBench.RunAsync(rest);
    default:
        Console.Error.WriteLine("usage: MossGrains.Bench onnx [model dir] [iterations] | tokenizer [tokenizer dir] [corpus.jsonl] | runtime [--seconds N] [--postgres connection-string]");
        return 2;
}
