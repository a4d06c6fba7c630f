using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MossGrains.Runtime;
using MossGrains.Runtime.Client;
using MossGrains.Runtime.Hosting;

namespace MossGrains.Bench;

/// <summary>A grain that answers at once: isolates the runtime's own cost.</summary>
public interface IBenchGrain : IGrainWithStringKey
{
    Task<int> EchoAsync(int value);
}

public sealed class BenchGrain : Grain, IBenchGrain
{
    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}

/// <summary>
/// `runtime` verb: local call cost, remote call latency over loopback HTTP/2 (client → silo),
/// calls/s, activation cost; with --postgres, the time from kill -9 of a silo process to the
/// first successful call on a survivor (3 test-silo processes, default membership settings).
/// Usage: runtime [--seconds N] [--postgres connection-string]
/// </summary>
public static class RuntimeBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = 3;
        string? postgres = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds":
                    seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--postgres":
                    postgres = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        Console.WriteLine($"machine: {BenchReport.Machine()}");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseMossGrainsSilo(silo => silo.UseLocalhostClustering(siloPort: 0).AddGrains(typeof(IBenchGrain).Assembly));
        using var host = builder.Build();
        await host.StartAsync();
        var factory = host.Services.GetRequiredService<IGrainFactory>();
        var address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

        await LocalCallsAsync(factory, seconds);
        await ActivationsAsync(factory);
        using (var client = new MossClusterClientBuilder().UseGateway(address.Host, address.Port).AddGrainInterfaces(typeof(IBenchGrain).Assembly).Build())
        {
            await RemoteCallsAsync(client, seconds);
        }

        await host.StopAsync();
        if (postgres is not null)
        {
            await FailoverBench.RunAsync(postgres);
        }
        else
        {
            Console.WriteLine("failover: skipped (pass --postgres <connection string> to measure kill -9 → first successful call)");
        }

        return 0;
    }

    private static async Task LocalCallsAsync(IGrainFactory factory, double seconds)
    {
        var grain = factory.GetGrain<IBenchGrain>("local");
        await grain.EchoAsync(0);
        for (int i = 0; i < 20_000; i++)
        {
            await grain.EchoAsync(i);
        }

        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        long calls = 0;
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var batch = Stopwatch.StartNew();
            for (int i = 0; i < 1000; i++)
            {
                await grain.EchoAsync(i);
            }

            samples.Add(batch.Elapsed.TotalMilliseconds * 1000.0 / 1000);
            calls += 1000;
        }

        Console.WriteLine($"local call (sequential, same process, no serialization): {total.Elapsed.TotalMilliseconds * 1e6 / calls:F0} ns/call; per-1000-call batches p50 {BenchReport.PercentileOf(samples, 50):F2} µs p95 {BenchReport.PercentileOf(samples, 95):F2} µs p99 {BenchReport.PercentileOf(samples, 99):F2} µs");

        var grains = Enumerable.Range(0, 64).Select(i => factory.GetGrain<IBenchGrain>($"local-{i}")).ToArray();
        double rate = await ThroughputAsync(grains, seconds);
        Console.WriteLine($"local calls/s (64 callers on 64 grains): {rate:F0}");
    }

    private static async Task ActivationsAsync(IGrainFactory factory)
    {
        const int count = 10_000;
        var sw = Stopwatch.StartNew();
        using var limit = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await limit.WaitAsync();
            try
            {
                await factory.GetGrain<IBenchGrain>($"activate-{i}").EchoAsync(i);
            }
            finally
            {
                limit.Release();
            }
        }));
        Console.WriteLine($"activation (first call to a new grain, in-memory directory, 64 in flight): {sw.Elapsed.TotalMilliseconds * 1000 / count:F1} µs/activation ({count / sw.Elapsed.TotalSeconds:F0} activations/s)");
    }

    private static async Task RemoteCallsAsync(MossClusterClient client, double seconds)
    {
        var grain = client.GetGrain<IBenchGrain>("remote");
        for (int i = 0; i < 2000; i++)
        {
            await grain.EchoAsync(i);
        }

        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            long start = Stopwatch.GetTimestamp();
            await grain.EchoAsync(1);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000);
        }

        Console.WriteLine($"remote call (client → silo over loopback HTTP/2, sequential, n={latencies.Count}): p50 {BenchReport.PercentileOf(latencies, 50):F0} µs p95 {BenchReport.PercentileOf(latencies, 95):F0} µs p99 {BenchReport.PercentileOf(latencies, 99):F0} µs");
        var grains = Enumerable.Range(0, 64).Select(i => client.GetGrain<IBenchGrain>($"remote-{i}")).ToArray();
        double rate = await ThroughputAsync(grains, seconds);
        Console.WriteLine($"remote calls/s (64 concurrent callers, one multiplexed HTTP/2 pool): {rate:F0}");
    }

    private static async Task<double> ThroughputAsync(IBenchGrain[] grains, double seconds)
    {
        long calls = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(grains.Select(async g =>
        {
            long mine = 0;
            while (sw.Elapsed.TotalSeconds < seconds)
            {
                await g.EchoAsync(1);
                mine++;
            }

            Interlocked.Add(ref calls, mine);
        }));
        return calls / sw.Elapsed.TotalSeconds;
    }
}
