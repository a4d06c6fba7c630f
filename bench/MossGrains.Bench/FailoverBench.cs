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
        var silos = new List<(Process Process, SiloAddress Address)>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                silos.Add(await StartSiloAsync(connectionString, cluster));
            }

            var builder = new MossClusterClientBuilder().AddGrainInterfaces(typeof(IPingGrain).Assembly);
            foreach (var (_, address) in silos)
            {
                builder.UseGateway(address.Host, address.Port);
            }

            using var client = builder.Build();
            await SiloHopLatency.ReportAsync(silos[1].Address, silos[2].Address);
            string victim = silos[0].Address.ToString();
            string? key = null;
            for (int i = 0; key is null && i < 200; i++)
            {
                if (await client.GetGrain<IPingGrain>($"failover-{i}").WhereAsync() == victim)
                {
                    key = $"failover-{i}";
                }
            }

            if (key is null)
            {
                Console.WriteLine("failover: no grain landed on the victim silo");
                return;
            }

            var sinceKill = Stopwatch.StartNew();
            silos[0].Process.Kill();
            string home;
            while (true)
            {
                try
                {
                    home = await client.GetGrain<IPingGrain>(key).WhereAsync();
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
            foreach (var (process, _) in silos)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }

    private static async Task<(Process, SiloAddress)> StartSiloAsync(string connectionString, string cluster)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MossGrains.Runtime.TestSilo.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "--postgres", connectionString, "--cluster", cluster })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                // Keep draining standard output so the silo never blocks on a full pipe.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return (process, SiloAddress.Parse(line["READY ".Length..]));
            }
        }

        throw new InvalidOperationException("The test silo exited before it was ready.");
    }
}
