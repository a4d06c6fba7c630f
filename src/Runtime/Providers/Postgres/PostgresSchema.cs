using Npgsql;

namespace MossGrains.Runtime.Providers.Postgres;

/// <summary>
/// The tables of the PostgreSQL providers. Created idempotently under a transaction-scoped advisory
/// lock, because concurrent <c>CREATE TABLE IF NOT EXISTS</c> from several silos can still collide.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Arbitrary constant that names the schema-creation advisory lock ("MossSchm").</summary>
    private const long SchemaLockKey = 0x4D6F7373_5363686D;

    private const string Ddl = """
        CREATE TABLE IF NOT EXISTS moss_membership_version (
            cluster_id  text        NOT NULL PRIMARY KEY,
            version     integer     NOT NULL,
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE IF NOT EXISTS moss_membership (
            cluster_id      text        NOT NULL REFERENCES moss_membership_version (cluster_id) ON DELETE CASCADE,
            host            text        NOT NULL,
            port            integer     NOT NULL,
            generation      bigint      NOT NULL,
            silo_name       text        NOT NULL,
            status          smallint    NOT NULL,
            suspect_times   text        NOT NULL DEFAULT '',
            start_time      timestamptz NOT NULL,
            i_am_alive_time timestamptz NOT NULL,
            etag            integer     NOT NULL,
            PRIMARY KEY (cluster_id, host, port, generation)
        );
        CREATE TABLE IF NOT EXISTS moss_grain_directory (
            cluster_id    text        NOT NULL,
            grain_type    text        NOT NULL,
            grain_key     text        NOT NULL,
            silo_address  text        NOT NULL,
            activation_id text        NOT NULL,
            registered_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (cluster_id, grain_type, grain_key)
        );
        CREATE INDEX IF NOT EXISTS moss_grain_directory_silo ON moss_grain_directory (cluster_id, silo_address);
        CREATE SEQUENCE IF NOT EXISTS moss_reminders_etag;
        CREATE TABLE IF NOT EXISTS moss_reminders (
            cluster_id    text        NOT NULL,
            grain_type    text        NOT NULL,
            grain_key     text        NOT NULL,
            reminder_name text        NOT NULL,
            grain_hash    integer     NOT NULL,
            start_at      timestamptz NOT NULL,
            period_ticks  bigint      NOT NULL,
            etag          bigint      NOT NULL,
            PRIMARY KEY (cluster_id, grain_type, grain_key, reminder_name)
        );
        CREATE INDEX IF NOT EXISTS moss_reminders_ring ON moss_reminders (cluster_id, ((grain_hash::bigint) & 4294967295));
        """;

    public static async Task EnsureCreatedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", SchemaLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var ddl = new NpgsqlCommand(Ddl, connection, transaction))
        {
            await ddl.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
