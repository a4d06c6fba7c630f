using System.Diagnostics;
using MossGrains.Runtime;
using MossGrains.Runtime.Client;
using MossGrains.Runtime.TestSilo;

namespace MossGrains.Bench;

/// <summary>
/// Time from kill -9 of one of three silo processes (tests/Runtime.TestSilo, default membership
/// settings, PostgreSQL clustering) to the first successful call, on a survivor, to a grain that
/// lived on the killed silo.
/// </summary>
internal static class FailoverBench
{
    public static async Task RunAsync(string connectionString)
    {
        string cluster = $"bench-failover-{Guid.NewGuid():N}";
        var silos = new List<SiloProcess>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                silos.Add(await SiloProcess.StartAsync(connectionString, cluster));
            }

            var builder = new MossClusterClientBuilder().AddGrainInterfaces(typeof(IPingGrain).Assembly);
            foreach (var silo in silos)
            {
                builder.UseGateway(silo.Address.Host, silo.Address.Port);
            }

            using var client = builder.Build();
            await SiloHopLatency.ReportAsync(silos[1].Address, silos[2].Address);
            var grain = await SiloHopLatency.FindGrainOnAsync(client, silos[0].Address);
            if (grain is null)
            {
                Console.WriteLine("failover: no grain landed on the victim silo");
                return;
            }

            var sinceKill = Stopwatch.StartNew();
            silos[0].Kill();
            string home;
            while (true)
            {
                try
                {
                    home = await grain.WhereAsync();
                    break;
                }
                catch (SiloUnavailableException)
                {
                    // In flight on the dead connection; retry.
                }
            }

            Console.WriteLine($"failover (kill -9 → first successful call on a survivor, default membership settings): {sinceKill.Elapsed.TotalSeconds:F2} s (grain now on {home})");
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }
}
