using System.Globalization;
using MossGrains.Runtime.Reminders;
using Npgsql;

namespace MossGrains.Runtime.Providers.Postgres;

/// <summary>
/// Reminders in PostgreSQL. Each row stores its grain's <see cref="GrainId.GetUniformHashCode"/>
/// reinterpreted as a signed <c>integer</c>; range reads compare the unsigned value
/// (<c>grain_hash::bigint &amp; 4294967295</c>, which has an index) and handle ranges that wrap.
/// ETags come from a sequence, so a removed-then-recreated reminder never reuses one.
/// </summary>
public sealed class PostgresReminderTable : IReminderTable
{
    private const string Columns = "grain_type, grain_key, reminder_name, start_at, period_ticks, etag";
    private const string UnsignedHash = "((grain_hash::bigint) & 4294967295)";

    private readonly PostgresClusterStore _store;

    public PostgresReminderTable(NpgsqlDataSource dataSource, string clusterId, PostgresClusteringOptions? options = null)
    {
        _store = new PostgresClusterStore(dataSource, clusterId, options);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _store.EnsureSchemaAsync(cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM moss_reminders WHERE cluster_id = @cluster AND grain_type = @type AND grain_key = @key",
            command =>
            {
                command.Parameters.AddWithValue("type", grainId.Type);
                command.Parameters.AddWithValue("key", grainId.Key);
            },
            cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(uint rangeStart, uint rangeEnd, CancellationToken cancellationToken)
    {
        string condition = rangeStart < rangeEnd
            ? $"{UnsignedHash} > @start AND {UnsignedHash} <= @end"
            : $"({UnsignedHash} > @start OR {UnsignedHash} <= @end)";
        return QueryAsync(
            $"SELECT {Columns} FROM moss_reminders WHERE cluster_id = @cluster AND {condition}",
            command =>
            {
                command.Parameters.AddWithValue("start", (long)rangeStart);
                command.Parameters.AddWithValue("end", (long)rangeEnd);
            },
            cancellationToken);
    }

    public async Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        var rows = await QueryAsync(
            $"SELECT {Columns} FROM moss_reminders WHERE cluster_id = @cluster AND grain_type = @type AND grain_key = @key AND reminder_name = @name",
            command =>
            {
                command.Parameters.AddWithValue("type", grainId.Type);
                command.Parameters.AddWithValue("key", grainId.Key);
                command.Parameters.AddWithValue("name", reminderName);
            },
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<string> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ReminderValidation.Validate(entry);
        await using var command = _store.CreateCommand(
            "INSERT INTO moss_reminders (cluster_id, grain_type, grain_key, reminder_name, grain_hash, start_at, period_ticks, etag) " +
            "VALUES (@cluster, @type, @key, @name, @hash, @start, @period, nextval('moss_reminders_etag')) " +
            "ON CONFLICT (cluster_id, grain_type, grain_key, reminder_name) DO UPDATE SET " +
            "start_at = EXCLUDED.start_at, period_ticks = EXCLUDED.period_ticks, etag = EXCLUDED.etag " +
            "RETURNING etag");
        command.Parameters.AddWithValue("type", entry.GrainId.Type);
        command.Parameters.AddWithValue("key", entry.GrainId.Key);
        command.Parameters.AddWithValue("name", entry.ReminderName);
        command.Parameters.AddWithValue("hash", unchecked((int)entry.GrainId.GetUniformHashCode()));
        command.Parameters.AddWithValue("start", entry.StartAt.ToUniversalTime());
        command.Parameters.AddWithValue("period", entry.Period.Ticks);
        long etag = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return etag.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        if (!long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out long expected))
        {
            return false;
        }

        await using var command = _store.CreateCommand(
            "DELETE FROM moss_reminders WHERE cluster_id = @cluster AND grain_type = @type AND grain_key = @key AND reminder_name = @name AND etag = @etag");
        command.Parameters.AddWithValue("type", grainId.Type);
        command.Parameters.AddWithValue("key", grainId.Key);
        command.Parameters.AddWithValue("name", reminderName);
        command.Parameters.AddWithValue("etag", expected);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<ReminderEntry>> QueryAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = _store.CreateCommand(sql);
        bind(command);
        var rows = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ReminderEntry(
                new GrainId(reader.GetString(0), reader.GetString(1)),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                TimeSpan.FromTicks(reader.GetInt64(4)),
                reader.GetInt64(5).ToString(CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
