using Npgsql;

namespace MossGrains.Runtime.TestSilo;

/// <summary>
/// What the test grains report about themselves, as rows in PostgreSQL that the tests read:
/// activations, deactivations (OnDeactivateAsync ran) and reminder ticks, each with the silo it happened on.
/// The row survives the process, so it also tells what a killed or stopped silo did.
/// </summary>
public sealed class TestEventLog(NpgsqlDataSource dataSource)
{
    public const string Activated = "activate";
    public const string Deactivated = "deactivate";
    public const string Tick = "tick";

    /// <summary>Creates the event table; run once per database before the silos start.</summary>
    public static async Task CreateSchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS moss_test_events (
                id bigserial PRIMARY KEY,
                silo text NOT NULL,
                kind text NOT NULL,
                grain_key text NOT NULL,
                detail text NOT NULL,
                at timestamptz NOT NULL DEFAULT clock_timestamp())
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordAsync(string silo, string kind, string grainKey, string detail, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO moss_test_events (silo, kind, grain_key, detail) VALUES ($1, $2, $3, $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = silo });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = grainKey });
        command.Parameters.Add(new NpgsqlParameter { Value = detail });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
