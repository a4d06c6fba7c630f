using Npgsql;

namespace MossGrains.Runtime.Providers.Postgres;

/// <summary>
/// Where the PostgreSQL membership, grain-directory and reminder tables live. Several clusters
/// (distinct cluster ids) can share one database: every row is keyed by cluster id.
/// </summary>
public sealed class PostgresClusteringOptions
{
    /// <summary>Npgsql connection string, e.g. <c>Host=db;Database=moss;Username=moss;Password=…</c>. Required; no default.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Whether InitializeAsync creates missing tables (<c>CREATE TABLE IF NOT EXISTS</c>, safe to run
    /// from many silos at once). Default: true. Set false when the schema is managed separately
    /// (docs/runtime-cluster.md lists it); the role then needs only SELECT/INSERT/UPDATE/DELETE.
    /// </summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>A data source for <see cref="ConnectionString"/>; the caller owns and disposes it.</summary>
    public NpgsqlDataSource CreateDataSource()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("PostgresClusteringOptions.ConnectionString must be set.", nameof(ConnectionString));
        }

        return NpgsqlDataSource.Create(ConnectionString);
    }

    internal static string ValidateClusterId(string clusterId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        if (clusterId.Length > 150)
        {
            throw new ArgumentOutOfRangeException(nameof(clusterId), clusterId.Length, "The cluster id must be at most 150 characters.");
        }

        return clusterId;
    }
}
