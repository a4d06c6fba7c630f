using System.Globalization;

// Benchmark dispatcher (minimal on the runtime branch; the lead merges the other verbs).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string verb = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
switch (verb)
{
    case "runtime":
        return await MossGrains.Bench.RuntimeBench.RunAsync(rest);
    default:
        Console.Error.WriteLine("usage: MossGrains.Bench runtime [--seconds N] [--postgres connection-string]");
        return 2;
}
