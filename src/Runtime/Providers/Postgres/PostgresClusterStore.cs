using Npgsql;

namespace MossGrains.Runtime.Providers.Postgres;

/// <summary>What the PostgreSQL providers share: the data source, the cluster id every row is keyed by, and schema creation.</summary>
internal sealed class PostgresClusterStore
{
    private readonly bool _createSchema;

    public PostgresClusterStore(NpgsqlDataSource dataSource, string clusterId, PostgresClusteringOptions? options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        DataSource = dataSource;
        ClusterId = PostgresClusteringOptions.ValidateClusterId(clusterId);
        _createSchema = options?.CreateSchema ?? true;
    }

    public NpgsqlDataSource DataSource { get; }

    public string ClusterId { get; }

    /// <summary>Creates the tables if missing (when <see cref="PostgresClusteringOptions.CreateSchema"/>).</summary>
    public Task EnsureSchemaAsync(CancellationToken cancellationToken) =>
        _createSchema ? PostgresSchema.EnsureCreatedAsync(DataSource, cancellationToken) : Task.CompletedTask;

    /// <summary>A command on the data source with <c>@cluster</c> already bound.</summary>
    public NpgsqlCommand CreateCommand(string sql)
    {
        var command = DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("cluster", ClusterId);
        return command;
    }

    /// <summary>A command in <paramref name="transaction"/> with <c>@cluster</c> already bound.</summary>
    public NpgsqlCommand CreateCommand(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("cluster", ClusterId);
        return command;
    }
}
