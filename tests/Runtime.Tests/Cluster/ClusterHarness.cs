using System.Diagnostics;
using MossGrains.Runtime.Client;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Providers.Postgres;
using MossGrains.Runtime.Tests.Infrastructure;
using MossGrains.Runtime.TestSilo;
using Xunit.Abstractions;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>Starting, reaching and observing test-silo processes for the multi-process tests.</summary>
internal static class ClusterHarness
{
    /// <summary>Starts <paramref name="count"/> silos of a fresh cluster, runs <paramref name="test"/>, and always disposes every silo.</summary>
    public static async Task WithSilosAsync(PostgresDatabaseFixture database, ITestOutputHelper output, string clusterPrefix, int count, Func<string, SiloProcess[], Task> test)
    {
        string cluster = $"{clusterPrefix}-{Guid.NewGuid():N}";
        var silos = await StartSilosAsync(database, output, cluster, count);
        try
        {
            await test(cluster, silos);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>Starts the silos concurrently; if any fails to start, the ones that did are disposed.</summary>
    public static async Task<SiloProcess[]> StartSilosAsync(PostgresDatabaseFixture database, ITestOutputHelper output, string cluster, int count)
    {
        var starts = Enumerable.Range(0, count).Select(i => SiloProcess.StartAsync(
            database.ConnectionString, cluster, "--fast-membership", "--reminder-minimum-seconds", "1", "--reminder-refresh-seconds", "30", "--name", $"silo-{i}")).ToArray();
        try
        {
            var silos = await Task.WhenAll(starts);
            output.WriteLine($"silos: {string.Join(", ", silos.Select(s => s.Address))}");
            return silos;
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>An external client whose gateways are <paramref name="silos"/>.</summary>
    public static MossClusterClient ClientFor(params SiloProcess[] silos)
    {
        var builder = new MossClusterClientBuilder().AddGrainInterfaces(typeof(IPingGrain).Assembly);
        foreach (var silo in silos)
        {
            builder.UseGateway(silo.Address.Host, silo.Address.Port);
        }

        return builder.Build();
    }

    // PostgreSQL is another process: there is no event to await, so poll it (bounded).
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < timeout, $"Condition not met within {timeout}.");
            await Task.Delay(100);
        }
    }

    public static async Task<SiloStatus> ReadStatusAsync(PostgresDatabaseFixture database, string cluster, SiloAddress silo)
    {
        var table = new PostgresMembershipTable(database.DataSource, cluster);
        var data = await table.ReadAllAsync(CancellationToken.None);
        return data.Rows.Single(r => r.Entry.Silo == silo).Entry.Status;
    }

    public static async Task<long> CountAsync(PostgresDatabaseFixture database, string sql, string cluster, string? silo = null)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("c", cluster);
        if (silo is not null)
        {
            command.Parameters.AddWithValue("s", silo);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Sends a signal (STOP, CONT, …) to the silo's process with kill(1).</summary>
    public static async Task SignalAsync(SiloProcess silo, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", silo.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
