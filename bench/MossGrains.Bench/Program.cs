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
    default:
        Console.Error.WriteLine("usage: MossGrains.Bench beir <dir> | latency [corpus dir] | dense <dir> [a] [n]");
        return 2;
}
