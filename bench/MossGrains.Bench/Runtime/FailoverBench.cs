using System.Diagnostics;
using MossGrains.Bench.Onnx;
using MossGrains.Runtime;
using MossGrains.Runtime.Client;
using MossGrains.Runtime.TestSilo;

namespace MossGrains.Bench.Runtime;

/// <summary>
/// Three TestSilo processes on PostgreSQL with default membership settings: call latency through a
/// gateway silo with and without a silo-to-silo hop; then kill -9 the silo that hosts a grain and
/// time until a call to that grain succeeds on a survivor.
/// </summary>
internal static class FailoverBench
{
    public static async Task RunAsync(string connectionString)
    {
        string clusterId = $"bench-{Guid.NewGuid():N}"[..20];
        var silos = new List<(Process Process, SiloAddress Address)>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                silos.Add(await StartSiloAsync(connectionString, clusterId));
            }

            using var client = new MossClusterClientBuilder()
                .UseGateway(silos[0].Address.Host, silos[0].Address.Port)
                .AddGrainInterfaces(typeof(IPingGrain).Assembly)
                .Build();
            var victim = silos[2];
            string key = await FindKeyOnAsync(client, victim.Address);
            var grain = client.GetGrain<IPingGrain>(key);
            await ReportLatencyAsync("client → gateway silo (grain on the gateway)", client.GetGrain<IPingGrain>(await FindKeyOnAsync(client, silos[0].Address)));
            await ReportLatencyAsync("client → gateway silo → other silo (silo-to-silo hop)", grain);

            long killed = Stopwatch.GetTimestamp();
            victim.Process.Kill();
            string answer;
            while (true)
            {
                try
                {
                    answer = await grain.WhereAsync();
                    break;
                }
                catch (Exception ex) when (Stopwatch.GetElapsedTime(killed) < TimeSpan.FromSeconds(90))
                {
                    Console.WriteLine($"  call failed after {Stopwatch.GetElapsedTime(killed).TotalSeconds:F1} s: {ex.GetType().Name}; retrying");
                }
            }

            Console.WriteLine($"failover (kill -9 → first successful call on a survivor, default membership): {Stopwatch.GetElapsedTime(killed).TotalSeconds:F2} s, answered by {answer}  [target ≤ 15 s]");
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

    private static async Task ReportLatencyAsync(string path, IPingGrain grain)
    {
        for (int i = 0; i < 1000; i++)
        {
            await grain.EchoAsync(i);
        }

        var samples = new double[5000];
        for (int i = 0; i < samples.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await grain.EchoAsync(i);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        Console.WriteLine($"remote call, 4 processes, {path}: {BenchReport.Summary(samples, "µs", 1000)}");
    }

    private static async Task<string> FindKeyOnAsync(MossClusterClient client, SiloAddress silo)
    {
        for (int i = 0; i < 1000; i++)
        {
            string key = $"failover-{i}";
            if (await client.GetGrain<IPingGrain>(key).WhereAsync() == silo.ToString())
            {
                return key;
            }
        }

        throw new InvalidOperationException($"No grain was placed on {silo} in 1000 tries.");
    }

    private static async Task<(Process, SiloAddress)> StartSiloAsync(string connectionString, string clusterId)
    {
        // Standard input stays open: the test silo stops when it reads "stop" or end of input.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MossGrains.Runtime.TestSilo.dll"));
        foreach (string argument in (string[])["--postgres", connectionString, "--cluster", clusterId])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                // Keep draining its output so the silo never blocks on a full pipe.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return (process, SiloAddress.Parse(line["READY ".Length..].Trim()));
            }
        }

        process.Kill();
        throw new InvalidOperationException($"The silo exited with code {process.ExitCode} before it was ready.");
    }
}
