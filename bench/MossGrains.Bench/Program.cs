using System.Globalization;
using MossGrains.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string mode = args.Length > 0 ? args[0] : "help";
switch (mode)
{
    case "dense" when args.Length >= 2:
        return DenseTuning.Run(
            args[1],
            args.Length > 2 ? float.Parse(args[2], CultureInfo.InvariantCulture) : null,
            args.Length > 3 ? float.Parse(args[3], CultureInfo.InvariantCulture) : null);
    case "beir" when args.Length >= 2:
        return await MossGrains.Bench.Beir.BeirEvaluation.RunAsync(
            args[1],
            args.Length > 2 ? args[2] : MossGrains.Engine.Embedding.EmbedderCatalog.DefaultAlias,
            [.. args.Skip(3).Select(a => float.Parse(a, CultureInfo.InvariantCulture))]);
    case "latency":
        return await MossGrains.Bench.Latency.LatencyBenchmark.RunAsync(
            args.Length > 1 ? args[1] : Path.Combine(MossGrains.Engine.Embedding.MossPaths.SharedDirectory, "beir", "scifact"));
    default:
        Console.Error.WriteLine("usage: MossGrains.Bench beir <dir> [model id] [extra alphas…] | latency [corpus dir] | dense <dir> [a] [n]");
        return 2;
}
