using MossGrains.Runtime.Client;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Tests.Infrastructure;
using MossGrains.Runtime.TestSilo;
using Npgsql;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>
/// N real silo processes on one throw-away PostgreSQL database, with short membership timings
/// (MembershipOptions.ForTests()) and a 1 s minimum reminder period, plus one client per silo
/// (each uses that silo as its gateway) and helpers to read the cluster's tables.
/// </summary>
public sealed class ClusterFixture : IAsyncDisposable
{
    public const string ClusterId = "mp";

    /// <summary>Minimum reminder period the silos allow (and how often they re-read reminders).</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(1);

    private readonly List<SiloProcess> silos = [];
    private readonly List<MossClusterClient> clients = [];

    private ClusterFixture(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public IReadOnlyList<SiloProcess> Silos => silos;

    /// <summary>Clients[i] sends its calls through Silos[i].</summary>
    public IReadOnlyList<MossClusterClient> Clients => clients;

    /// <summary>Everything the silos printed, for assertion messages.</summary>
    public string Output => string.Join("\n", silos.Select(s => $"--- {s.Address}:\n{s.Output}"));

    public static async Task<ClusterFixture> StartAsync(int siloCount, CancellationToken cancellationToken = default)
    {
        var server = await PostgresServer.GetAsync();
        string connectionString = await server.CreateDatabaseAsync("moss_mp", cancellationToken);
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 20 }.ConnectionString;
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var cluster = new ClusterFixture(connectionString, dataSource);
        try
        {
            await TestEventLog.CreateSchemaAsync(dataSource, cancellationToken);
            // The first silo creates the cluster tables; the rest then start in parallel.
            await cluster.AddSiloAsync(cancellationToken);
            await Task.WhenAll(Enumerable.Range(1, siloCount - 1).Select(_ => cluster.AddSiloAsync(cancellationToken)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo and a client for it.</summary>
    public async Task<SiloProcess> AddSiloAsync(CancellationToken cancellationToken)
    {
        string[] arguments = ["--cluster", ClusterId, "--test-membership", "--reminder-period-ms", ((int)ReminderPeriod.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var silo = await SiloProcess.StartAsync(ConnectionString, arguments, cancellationToken);
        lock (silos)
        {
            silos.Add(silo);
            clients.Add(CreateClient(silo));
        }

        return silo;
    }

    /// <summary>A client whose only gateway is <paramref name="silo"/>.</summary>
    public static MossClusterClient CreateClient(SiloProcess silo, TimeSpan? responseTimeout = null) =>
        new MossClusterClientBuilder()
            .UseGateway(silo.Address.Host, silo.Address.Port)
            .AddGrainInterfaces(typeof(IProbeGrain).Assembly)
            .Configure(o => o.ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(30))
            .Build();

    /// <summary>The silo's status in the membership table (None when it has no row).</summary>
    public async Task<SiloStatus> ReadStatusAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT status FROM moss_membership WHERE cluster_id = $1 AND host = $2 AND port = $3 AND generation = $4");
        AddParameters(command, ClusterId, silo.Host, silo.Port, silo.Generation);
        object? status = await command.ExecuteScalarAsync(cancellationToken);
        return status is null ? SiloStatus.None : (SiloStatus)Convert.ToInt32(status, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The suspect votes recorded on the silo's row (empty after a clean leave).</summary>
    public async Task<string> ReadSuspectVotesAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT suspect_times FROM moss_membership WHERE cluster_id = $1 AND host = $2 AND port = $3 AND generation = $4");
        AddParameters(command, ClusterId, silo.Host, silo.Port, silo.Generation);
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? "";
    }

    /// <summary>How many grain directory entries point at <paramref name="silo"/>.</summary>
    public async Task<long> CountDirectoryEntriesAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT count(*) FROM moss_grain_directory WHERE cluster_id = $1 AND silo_address = $2");
        AddParameters(command, ClusterId, silo.ToString());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Events of one kind: (silo, grain key, detail, time).</summary>
    public async Task<List<(string Silo, string Key, string Detail, DateTime At)>> ReadEventsAsync(string kind, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT silo, grain_key, detail, at FROM moss_test_events WHERE kind = $1 ORDER BY id");
        AddParameters(command, kind);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<(string, string, string, DateTime)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDateTime(3)));
        }

        return events;
    }

    /// <summary>The database clock (events are stamped with it).</summary>
    public async Task<DateTime> DatabaseNowAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT clock_timestamp()");
        return (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Polls <paramref name="condition"/> every 50 ms until it holds or <paramref name="timeout"/> passes.
    /// Used for database rows written by other processes, which raise no event this process can await.
    /// </summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                return false;
            }

            await ticks.WaitForNextTickAsync();
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await Task.WhenAll(silos.Select(s => s.DisposeAsync().AsTask()));
        await DataSource.DisposeAsync();
    }

    private static void AddParameters(NpgsqlCommand command, params object[] values)
    {
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
