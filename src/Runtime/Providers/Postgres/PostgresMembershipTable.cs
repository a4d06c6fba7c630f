using System.Data;
using System.Globalization;
using MossGrains.Runtime.Membership;
using Npgsql;

namespace MossGrains.Runtime.Providers.Postgres;

/// <summary>
/// Membership in PostgreSQL, in the pattern of Orleans' ADO.NET provider: one version row per
/// cluster and one row per silo. Every row change is one transaction that first advances the
/// version row with <c>WHERE version = @expected</c> (compare-and-swap) and then writes the silo
/// row (an update also requires <c>etag = @etag</c>); if either matches nothing, nothing changes
/// and the call returns false. IAmAlive is written on its own, without touching the version.
/// </summary>
public sealed class PostgresMembershipTable : IMembershipTable
{
    private const string Columns = "host, port, generation, silo_name, status, suspect_times, start_time, i_am_alive_time, etag";
    private const string SiloKey = "cluster_id = @cluster AND host = @host AND port = @port AND generation = @generation";

    private readonly PostgresClusterStore _store;

    public PostgresMembershipTable(NpgsqlDataSource dataSource, string clusterId, PostgresClusteringOptions? options = null)
    {
        _store = new PostgresClusterStore(dataSource, clusterId, options);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _store.EnsureSchemaAsync(cancellationToken);

        await using var command = _store.CreateCommand(
            "INSERT INTO moss_membership_version (cluster_id, version) VALUES (@cluster, 0) ON CONFLICT (cluster_id) DO NOTHING");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the version and the rows, so a reader never pairs new rows with an old version.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        int version;
        await using (var versionCommand = _store.CreateCommand("SELECT version FROM moss_membership_version WHERE cluster_id = @cluster", connection, transaction))
        {
            version = await versionCommand.ExecuteScalarAsync(cancellationToken) as int?
                ?? throw new InvalidOperationException($"Cluster '{_store.ClusterId}' has no membership version row; call InitializeAsync first.");
        }

        var rows = new List<MembershipRow>();
        await using (var rowsCommand = _store.CreateCommand($"SELECT {Columns} FROM moss_membership WHERE cluster_id = @cluster", connection, transaction))
        {
            await using var reader = await rowsCommand.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(ReadRow(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new MembershipTableData(rows, new TableVersion(version, Format(version)));
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ChangeRowAsync(
            version,
            $"INSERT INTO moss_membership (cluster_id, {Columns}) " +
            "VALUES (@cluster, @host, @port, @generation, @name, @status, @suspects, @start, @alive, 0) ON CONFLICT DO NOTHING",
            command => AddEntry(command, entry),
            cancellationToken);
    }

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!int.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out int expectedETag))
        {
            return Task.FromResult(false);
        }

        return ChangeRowAsync(
            version,
            "UPDATE moss_membership SET silo_name = @name, status = @status, suspect_times = @suspects, start_time = @start, " +
            $"i_am_alive_time = @alive, etag = etag + 1 WHERE {SiloKey} AND etag = @etag",
            command =>
            {
                AddEntry(command, entry);
                command.Parameters.AddWithValue("etag", expectedETag);
            },
            cancellationToken);
    }

    public async Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        await using var command = _store.CreateCommand($"UPDATE moss_membership SET i_am_alive_time = @alive WHERE {SiloKey}");
        AddSilo(command, silo);
        command.Parameters.AddWithValue("alive", iAmAliveTime.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        await using var command = _store.CreateCommand(
            "DELETE FROM moss_membership WHERE cluster_id = @cluster AND status = @dead AND i_am_alive_time < @before");
        command.Parameters.AddWithValue("dead", (short)SiloStatus.Dead);
        command.Parameters.AddWithValue("before", beforeDate.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteClusterAsync(CancellationToken cancellationToken)
    {
        // Silo rows go with the version row (ON DELETE CASCADE).
        await using var command = _store.CreateCommand("DELETE FROM moss_membership_version WHERE cluster_id = @cluster");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The compare-and-swap: bump the version row if it still holds the expected version, then change the silo row; both or neither.</summary>
    private async Task<bool> ChangeRowAsync(TableVersion version, string rowSql, Action<NpgsqlCommand> bindRow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!int.TryParse(version.ETag, NumberStyles.None, CultureInfo.InvariantCulture, out int expectedVersion))
        {
            return false;
        }

        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var versionCommand = _store.CreateCommand(
            "UPDATE moss_membership_version SET version = version + 1, updated_at = now() WHERE cluster_id = @cluster AND version = @expected",
            connection,
            transaction))
        {
            versionCommand.Parameters.AddWithValue("expected", expectedVersion);
            if (await versionCommand.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }

        await using (var rowCommand = _store.CreateCommand(rowSql, connection, transaction))
        {
            bindRow(rowCommand);
            if (await rowCommand.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static void AddSilo(NpgsqlCommand command, SiloAddress silo)
    {
        command.Parameters.AddWithValue("host", silo.Host);
        command.Parameters.AddWithValue("port", silo.Port);
        command.Parameters.AddWithValue("generation", silo.Generation);
    }

    private static void AddEntry(NpgsqlCommand command, MembershipEntry entry)
    {
        AddSilo(command, entry.Silo);
        command.Parameters.AddWithValue("name", entry.SiloName ?? "");
        command.Parameters.AddWithValue("status", (short)entry.Status);
        command.Parameters.AddWithValue("suspects", SuspectVoteText.Format(entry.SuspectTimes ?? []));
        command.Parameters.AddWithValue("start", entry.StartTime.ToUniversalTime());
        command.Parameters.AddWithValue("alive", entry.IAmAliveTime.ToUniversalTime());
    }

    private static MembershipRow ReadRow(NpgsqlDataReader reader)
    {
        var silo = new SiloAddress(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2));
        var entry = new MembershipEntry(
            silo,
            reader.GetString(3),
            (SiloStatus)reader.GetInt16(4),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetFieldValue<DateTimeOffset>(7),
            SuspectVoteText.Parse(reader.GetString(5)));
        return new MembershipRow(entry, Format(reader.GetInt32(8)));
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Suspect votes as text: <c>silo,time|silo,time</c> with silos as host:port@generation and times in round-trip ISO 8601 UTC.</summary>
internal static class SuspectVoteText
{
    public static string Format(IReadOnlyList<SuspectVote> votes) =>
        string.Join('|', votes.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Suspector},{v.Time.UtcDateTime:O}")));

    public static IReadOnlyList<SuspectVote> Parse(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        return [.. text.Split('|').Select(vote =>
        {
            int comma = vote.LastIndexOf(',');
            if (comma < 0)
            {
                throw new FormatException($"Suspect vote '{vote}' is not of the form silo,time.");
            }

            return new SuspectVote(
                SiloAddress.Parse(vote[..comma]),
                DateTimeOffset.Parse(vote.AsSpan(comma + 1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
        })];
    }
}
