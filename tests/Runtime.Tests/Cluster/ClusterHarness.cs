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
    public static MossClusterClient ClientFor(params SiloProcess[] silos) => ClientBuilderFor(silos).Build();

    /// <summary>An external client through <paramref name="gateway"/> whose calls time out after <paramref name="responseTimeout"/>.</summary>
    public static MossClusterClient ClientFor(SiloProcess gateway, TimeSpan responseTimeout) =>
        ClientBuilderFor(gateway).Configure(o => o.ResponseTimeout = responseTimeout).Build();

    private static MossClusterClientBuilder ClientBuilderFor(params SiloProcess[] silos)
    {
        var builder = new MossClusterClientBuilder().AddGrainInterfaces(typeof(IPingGrain).Assembly);
        foreach (var silo in silos)
        {
            builder.UseGateway(silo.Address.Host, silo.Address.Port);
        }

        return builder;
    }

    /// <summary>
    /// Activates fresh grains through <paramref name="client"/> until <paramref name="count"/> live on <paramref name="silo"/>
    /// (the default placement is load-aware, so a key's home is only known once it is activated).
    /// </summary>
    /// <param name="where">Activates a key and returns its silo's address; by default <see cref="IPingGrain.WhereAsync"/>.</param>
    public static async Task<string[]> KeysLivingOnAsync(MossClusterClient client, SiloProcess silo, int count, Func<string, Task<string>>? where = null)
    {
        where ??= k => client.GetGrain<IPingGrain>(k).WhereAsync();
        var keys = new List<string>();
        for (int batch = 0; keys.Count < count; batch++)
        {
            Assert.True(batch < 20, $"20 batches of 20 fresh grains put fewer than {count} on {silo.Address}.");
            string[] candidates = [.. Enumerable.Range(0, 20).Select(i => $"k-{batch}-{i}-{Guid.NewGuid():N}")];
            string[] homes = await Task.WhenAll(candidates.Select(where));
            keys.AddRange(candidates.Where((_, i) => homes[i] == silo.Address.ToString()));
        }

        return [.. keys.Take(count)];
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

    public static async Task<SiloStatus> ReadStatusAsync(PostgresDatabaseFixture database, string cluster, SiloAddress silo) =>
        (await ReadRowAsync(database, cluster, silo)).Status;

    /// <summary>The silo's membership row, including the suspicion votes against it.</summary>
    public static async Task<MembershipEntry> ReadRowAsync(PostgresDatabaseFixture database, string cluster, SiloAddress silo)
    {
        var table = new PostgresMembershipTable(database.DataSource, cluster);
        var data = await table.ReadAllAsync(CancellationToken.None);
        return data.Rows.Single(r => r.Entry.Silo == silo).Entry;
    }

    /// <summary>How many grain-directory entries of <paramref name="cluster"/> point at <paramref name="silo"/>.</summary>
    public static Task<long> CountDirectoryEntriesAsync(PostgresDatabaseFixture database, string cluster, SiloAddress silo) =>
        CountAsync(database, "SELECT count(*) FROM moss_grain_directory WHERE cluster_id = @c AND silo_address = @s", cluster, silo.ToString());

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

    /// <summary>Sends a signal (STOP, CONT, …) to the silo's process and asserts it was delivered.</summary>
    public static async Task SignalAsync(SiloProcess silo, string signal) => Assert.Equal(0, await silo.SignalAsync(signal));
}
