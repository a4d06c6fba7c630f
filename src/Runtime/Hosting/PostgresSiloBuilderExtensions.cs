using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Runtime.GrainDirectory;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Providers.Postgres;
using MossGrains.Runtime.Reminders;
using Npgsql;

namespace MossGrains.Runtime.Hosting;

/// <summary>PostgreSQL providers for a silo: membership (with probing) and grain directory; reminders.</summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>
    /// A multi-silo cluster on PostgreSQL: membership table (silos probe each other over HTTP/2 and vote
    /// dead silos out) and the grain directory. Silos with the same <see cref="SiloOptions.ClusterId"/>
    /// and database form one cluster. Tables are created on first start.
    /// </summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, string connectionString, Action<MembershipOptions>? configureMembership = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var services = builder.Services;
        services.TryAddSingleton<PostgresDataSources>();
        services.AddOptions<MembershipOptions>();
        if (configureMembership is not null)
        {
            services.Configure(configureMembership);
        }

        services.AddSingleton<IMembershipTable>(sp =>
        {
            var source = sp.GetRequiredService<PostgresDataSources>().For(connectionString);
            return new PostgresMembershipTable(source.DataSource, ClusterId(sp), source.Options);
        });
        services.AddSingleton<IGrainDirectory>(sp =>
        {
            var source = sp.GetRequiredService<PostgresDataSources>().For(connectionString);
            return new PostgresGrainDirectory(source.DataSource, ClusterId(sp), source.Options);
        });
        services.AddSingleton<HttpMembershipProbeClient>(sp => new HttpMembershipProbeClient(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var localSilo = sp.GetRequiredService<LocalSiloDetails>();
            return new MembershipService(
                sp.GetRequiredService<IMembershipTable>(),
                sp.GetRequiredService<HttpMembershipProbeClient>(),
                () => localSilo.SiloAddress,
                localSilo.Name,
                sp.GetRequiredService<IOptions<MembershipOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MembershipService>>());
        });
        services.AddSingleton<IClusterMembershipView>(sp => sp.GetRequiredService<MembershipService>());
        services.AddSingleton<ISiloMembership>(sp => sp.GetRequiredService<MembershipService>());
        return builder;
    }

    /// <summary>Durable reminders in PostgreSQL (any clustering provider).</summary>
    public static ISiloBuilder UsePostgresReminders(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.TryAddSingleton<PostgresDataSources>();
        builder.Services.AddSingleton<IReminderTable>(sp =>
        {
            var source = sp.GetRequiredService<PostgresDataSources>().For(connectionString);
            return new PostgresReminderTable(source.DataSource, ClusterId(sp), source.Options);
        });
        return builder;
    }

    private static string ClusterId(IServiceProvider services) => services.GetRequiredService<IOptions<SiloOptions>>().Value.ClusterId;
}

/// <summary>
/// The silo's Npgsql data sources, one per connection string: providers configured with the same
/// string share a pool, and each provider uses the database it was given.
/// </summary>
internal sealed class PostgresDataSources : IDisposable
{
    private readonly Dictionary<string, Entry> sources = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public Entry For(string connectionString)
    {
        lock (gate)
        {
            if (!sources.TryGetValue(connectionString, out var entry))
            {
                entry = new Entry(new PostgresClusteringOptions { ConnectionString = connectionString });
                sources.Add(connectionString, entry);
            }

            return entry;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var entry in sources.Values)
            {
                entry.DataSource.Dispose();
            }

            sources.Clear();
        }
    }

    /// <summary>A data source and the options it was made from.</summary>
    internal sealed class Entry(PostgresClusteringOptions options)
    {
        public PostgresClusteringOptions Options { get; } = options;

        public NpgsqlDataSource DataSource { get; } = options.CreateDataSource();
    }
}
