using System.Globalization;
using MossGrains.Bench;

// Benchmark dispatcher. Each verb lives in its own file; see bench/MossGrains.Bench/*/.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string verb = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
switch (verb)
{
    case "beir" when rest.Length >= 1:
        return await MossGrains.Bench.Beir.BeirEvaluation.RunAsync(
            rest[0],
            rest.Length > 1 ? rest[1] : MossGrains.Engine.Embedding.EmbedderCatalog.DefaultAlias,
            [.. rest.Skip(2).Select(a => float.Parse(a, CultureInfo.InvariantCulture))]);
    case "latency":
        return await MossGrains.Bench.Latency.LatencyBenchmark.RunAsync(
            rest.Length > 0 ? rest[0] : BenchPaths.SciFact,
            rest.Length > 1 ? rest[1] : MossGrains.Engine.Embedding.EmbedderCatalog.DefaultAlias);
    case "ivf":
        return MossGrains.Bench.Latency.IvfFlatComparison.Run(
            rest.Length > 0 ? rest[0] : BenchPaths.SciFact);
    case "dense" when rest.Length >= 1:
        return DenseTuning.Run(
            rest[0],
            rest.Length > 1 ? float.Parse(rest[1], CultureInfo.InvariantCulture) : null,
            rest.Length > 2 ? float.Parse(rest[2], CultureInfo.InvariantCulture) : null);
    case "onnx":
        return await MossGrains.Bench.Onnx.OnnxBenchmark.RunAsync(rest);
    case "onnx-ab":
        return MossGrains.Bench.Onnx.QueryLatencyComparison.Run(rest);
    case "tokenizer":
        return await MossGrains.Bench.Onnx.TokenizerBenchmark.RunAsync(rest);
    case "peers":
        return await MossGrains.Bench.Peers.PeersBenchmark.RunAsync(
            rest.Length > 0 ? rest[0] : BenchPaths.SciFact,
            rest.Length > 1 ? rest[1] : MossGrains.Engine.Embedding.EmbedderCatalog.DefaultAlias,
            rest.Length > 2 ? rest[2] : "all");
    case "cluster":
        return await MossGrains.Bench.Cluster.ClusterBenchmark.RunAsync(
            rest.Length > 0 ? rest[0] : BenchPaths.SciFact);
    case "indexes":
        return await MossGrains.Bench.Cluster.IndexBenchmark.RunAsync(
            rest.Length > 0 ? rest[0] : BenchPaths.SciFact);
    case "http":
        return await MossGrains.Bench.Http.HttpBenchmark.RunAsync(
            rest.Length > 0 ? rest[0] : BenchPaths.SciFact,
            rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 0);
    default:
        Console.Error.WriteLine(
            "usage: MossGrains.Bench beir <dir> [model id] [extra alphas…] | latency [corpus dir] [model id] | ivf [corpus dir] | dense <dir> [a] [n]"
            + " | onnx [model ids] [iterations] | onnx-ab [model ids] [iterations] | tokenizer [tokenizer dir] [corpus.jsonl]"
            + " | cluster [corpus dir] | indexes [corpus dir] | http [corpus dir] [docs] | peers [corpus dir] [model id] [all|vectors|keywords]");
        return 2;
}
