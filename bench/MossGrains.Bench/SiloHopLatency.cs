using System.Diagnostics;
using System.Globalization;
using MossGrains.Runtime;
using MossGrains.Runtime.Client;
using MossGrains.Runtime.TestSilo;

namespace MossGrains.Bench;

/// <summary>
/// Remote call latency between silo processes: a client whose gateway is one silo calls a grain on
/// that silo (client → silo) and a grain on another silo (client → gateway silo → other silo);
/// the difference is the silo-to-silo hop over pooled HTTP/2.
/// </summary>
internal static class SiloHopLatency
{
    private const int Calls = 5000;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public static async Task ReportAsync(SiloAddress gateway, SiloAddress other)
    {
        using var client = new MossClusterClientBuilder().UseGateway(gateway.Host, gateway.Port).AddGrainInterfaces(typeof(IPingGrain).Assembly).Build();
        var local = await FindGrainOnAsync(client, gateway);
        var remote = await FindGrainOnAsync(client, other);
        if (local is null || remote is null)
        {
            Console.WriteLine("silo hop latency: no grain landed on the wanted silo");
            return;
        }

        var oneHop = await MeasureAsync(local);
        var twoHops = await MeasureAsync(remote);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"remote call, client → gateway silo process: p50 {BenchReport.Percentile(oneHop, 50):F1} µs  p99 {BenchReport.Percentile(oneHop, 99):F1} µs  (n={Calls})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"remote call, client → gateway silo → other silo process: p50 {BenchReport.Percentile(twoHops, 50):F1} µs  p99 {BenchReport.Percentile(twoHops, 99):F1} µs  (silo-to-silo hop ≈ {BenchReport.Percentile(twoHops, 50) - BenchReport.Percentile(oneHop, 50):F1} µs at p50)"));
    }

    /// <summary>A ping grain whose activation lives on <paramref name="silo"/> (tries 200 keys), or null.</summary>
    internal static async Task<IPingGrain?> FindGrainOnAsync(MossClusterClient client, SiloAddress silo)
    {
        for (int i = 0; i < 200; i++)
        {
            var grain = client.GetGrain<IPingGrain>($"hop-{silo.Port}-{i}");
            if (await grain.WhereAsync() == silo.ToString())
            {
                return grain;
            }
        }

        return null;
    }

    private static async Task<double[]> MeasureAsync(IPingGrain grain)
    {
        // Warm up by time, not count: the silo processes promote hot methods to optimised code in the
        // background over the first second or so, and those stalls are not the steady state being measured.
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; warmUp.Elapsed < WarmUp; i++)
        {
            await grain.EchoAsync(i);
        }

        var micros = new double[Calls];
        for (int i = 0; i < Calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await grain.EchoAsync(i);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(micros);
        return micros;
    }

}
