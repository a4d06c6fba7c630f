using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MossGrains.Bench.Onnx;
using MossGrains.Runtime;
using MossGrains.Runtime.Client;
using MossGrains.Runtime.Hosting;

namespace MossGrains.Bench.Runtime;

/// <summary>
/// Runtime costs: local call (co-hosted client, in-process dispatch), remote call latency and
/// throughput over HTTP/2 on loopback (external client → silo), activation cost, and — given a
/// PostgreSQL connection string — the time from kill -9 of a silo process to the first successful
/// call of its grain on a survivor, with default membership settings.
/// Usage: runtime [calls] [--postgres &lt;connection string&gt;] (or env MOSS_TEST_POSTGRES for the failover part).
/// </summary>
public static class RuntimeBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int calls = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int n) ? n : 200_000;
        int flag = Array.IndexOf(args, "--postgres");
        string? postgres = flag >= 0 && flag + 1 < args.Length ? args[flag + 1] : Environment.GetEnvironmentVariable("MOSS_TEST_POSTGRES");
        Console.WriteLine($"machine: {BenchReport.Machine()}");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseMossGrainsSilo(silo => silo.UseLocalhostClustering(siloPort: 0).AddGrains(typeof(IBenchGrain).Assembly));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var factory = host.Services.GetRequiredService<IGrainFactory>();
            await LocalCallsAsync(factory, calls);
            await ActivationsAsync(factory, Math.Min(calls / 10, 20_000));
            var address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            using var client = new MossClusterClientBuilder().UseGateway(address.Host, address.Port).AddGrainInterfaces(typeof(IBenchGrain).Assembly).Build();
            await RemoteCallsAsync(client, Math.Min(calls / 10, 20_000));
        }
        finally
        {
            await host.StopAsync();
        }

        if (string.IsNullOrEmpty(postgres))
        {
            Console.WriteLine("failover: skipped (pass --postgres <connection string> or set MOSS_TEST_POSTGRES; the database must exist)");
            return 0;
        }

        await FailoverBench.RunAsync(postgres);
        return 0;
    }

    private static async Task LocalCallsAsync(IGrainFactory factory, int calls)
    {
        var grain = factory.GetGrain<IBenchGrain>("local");
        await grain.EchoAsync(0);
        for (int i = 0; i < calls / 10; i++)
        {
            await grain.EchoAsync(i);
        }

        const int batch = 1000;
        var samples = new double[calls / batch];
        for (int b = 0; b < samples.Length; b++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++)
            {
                await grain.EchoAsync(i);
            }

            samples[b] = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1_000_000 / batch;
        }

        Array.Sort(samples);
        Console.WriteLine($"local call (co-hosted, one grain, sequential): {BenchReport.Summary(samples, "ns/call")} per batch of {batch}  [target ≤ 2000 ns]");
    }

    private static async Task ActivationsAsync(IGrainFactory factory, int count)
    {
        for (int i = 0; i < 1000; i++)
        {
            await factory.GetGrain<IBenchGrain>($"warm-{i}").EchoAsync(i);
        }

        var samples = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await factory.GetGrain<IBenchGrain>($"activation-{i}").EchoAsync(i);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        Console.WriteLine($"activation (first call to a new key, localhost clustering): {BenchReport.Summary(samples, "µs", 1000)}");
    }

    private static async Task RemoteCallsAsync(MossClusterClient client, int calls)
    {
        var grain = client.GetGrain<IBenchGrain>("remote");
        for (int i = 0; i < 2000; i++)
        {
            await grain.EchoAsync(i);
        }

        var samples = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await grain.EchoAsync(i);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        Console.WriteLine($"remote call (client → silo, HTTP/2 loopback, sequential): {BenchReport.Summary(samples, "µs", 1000)}  [target p50 ≤ 200 µs, p99 ≤ 1000 µs]");

        const int inFlight = 64;
        var grains = Enumerable.Range(0, inFlight).Select(i => client.GetGrain<IBenchGrain>($"throughput-{i}")).ToArray();
        await Task.WhenAll(grains.Select(g => g.EchoAsync(0)));
        long total = calls * 5L;
        long started = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, inFlight, async (worker, _) =>
        {
            for (long i = worker; i < total; i += inFlight)
            {
                await grains[worker].EchoAsync((int)i);
            }
        });
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"remote throughput ({inFlight} calls in flight, client and silo in one process on {Environment.ProcessorCount} cores): {total / seconds:F0} calls/s"));
    }
}
