using MossGrains.Runtime.GrainDirectory;
using Npgsql;

namespace MossGrains.Runtime.Providers.Postgres;

/// <summary>
/// The grain directory in PostgreSQL. Registration is first-writer-wins: <c>INSERT … ON CONFLICT
/// DO NOTHING</c>, and when that inserted nothing, a fresh <c>SELECT</c> of the winner (a separate
/// statement, so it sees a winner that committed while the insert waited on it).
/// </summary>
public sealed class PostgresGrainDirectory : IGrainDirectory
{
    private const string GrainKey = "cluster_id = @cluster AND grain_type = @type AND grain_key = @key";
    private const int MaxRegisterAttempts = 10;

    private readonly PostgresClusterStore _store;

    public PostgresGrainDirectory(NpgsqlDataSource dataSource, string clusterId, PostgresClusteringOptions? options = null)
    {
        _store = new PostgresClusterStore(dataSource, clusterId, options);
    }

    /// <summary>Creates the tables if missing (when <see cref="PostgresClusteringOptions.CreateSchema"/>).</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _store.EnsureSchemaAsync(cancellationToken);

    public async Task<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (previous is not null && previous.GrainId != address.GrainId)
        {
            throw new ArgumentException($"The previous address is for grain '{previous.GrainId}', not '{address.GrainId}'.", nameof(previous));
        }

        if (previous is not null && await TryReplaceAsync(address, previous, cancellationToken))
        {
            return address;
        }

        // Insert-or-read can race with an unregister between the two statements; then try again.
        for (int attempt = 0; attempt < MaxRegisterAttempts; attempt++)
        {
            await using (var insert = CreateCommand(
                "INSERT INTO moss_grain_directory (cluster_id, grain_type, grain_key, silo_address, activation_id) " +
                "VALUES (@cluster, @type, @key, @silo, @activation) ON CONFLICT DO NOTHING",
                address.GrainId))
            {
                insert.Parameters.AddWithValue("silo", address.Silo.ToString());
                insert.Parameters.AddWithValue("activation", address.ActivationId);
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return address;
                }
            }

            if (await LookupAsync(address.GrainId, cancellationToken) is { } winner)
            {
                return winner;
            }
        }

        throw new InvalidOperationException(
            $"Grain '{address.GrainId}' could not be registered: its entry kept disappearing after {MaxRegisterAttempts} attempts.");
    }

    public async Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand($"SELECT silo_address, activation_id FROM moss_grain_directory WHERE {GrainKey}", grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GrainAddress(grainId, SiloAddress.Parse(reader.GetString(0)), reader.GetString(1))
            : null;
    }

    public async Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        await using var command = CreateCommand($"DELETE FROM moss_grain_directory WHERE {GrainKey} AND activation_id = @activation", address.GrainId);
        command.Parameters.AddWithValue("activation", address.ActivationId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silos);
        if (silos.Count == 0)
        {
            return;
        }

        await using var command = _store.CreateCommand(
            "DELETE FROM moss_grain_directory WHERE cluster_id = @cluster AND silo_address = ANY(@silos)");
        command.Parameters.AddWithValue("silos", silos.Select(s => s.ToString()).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<bool> TryReplaceAsync(GrainAddress address, GrainAddress previous, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(
            "UPDATE moss_grain_directory SET silo_address = @silo, activation_id = @activation, registered_at = now() " +
            $"WHERE {GrainKey} AND silo_address = @previousSilo AND activation_id = @previousActivation",
            address.GrainId);
        command.Parameters.AddWithValue("silo", address.Silo.ToString());
        command.Parameters.AddWithValue("activation", address.ActivationId);
        command.Parameters.AddWithValue("previousSilo", previous.Silo.ToString());
        command.Parameters.AddWithValue("previousActivation", previous.ActivationId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private NpgsqlCommand CreateCommand(string sql, GrainId grainId)
    {
        if (string.IsNullOrEmpty(grainId.Type) || grainId.Key is null)
        {
            throw new ArgumentException($"GrainId needs a non-empty Type and a non-null Key (got '{grainId}').", nameof(grainId));
        }

        var command = _store.CreateCommand(sql);
        command.Parameters.AddWithValue("type", grainId.Type);
        command.Parameters.AddWithValue("key", grainId.Key);
        return command;
    }
}
