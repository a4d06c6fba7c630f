using Microsoft.AspNetCore.Routing;
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

/// <summary>PostgreSQL providers for a multi-silo cluster (the Orleans ADO.NET clustering counterpart).</summary>
public static class PostgresClusteringExtensions
{
    /// <summary>
    /// Membership (the probe/vote protocol of <see cref="MembershipService"/>) and the grain directory
    /// in PostgreSQL at <paramref name="connectionString"/>. Tables are created on first start.
    /// Membership timings come from <see cref="MembershipOptions"/> (configure with <c>Configure&lt;MembershipOptions&gt;</c>).
    /// </summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgresClustering(o => o.ConnectionString = connectionString);
    }

    /// <inheritdoc cref="UsePostgresClustering(ISiloBuilder, string)"/>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, Action<PostgresClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        AddPostgresStore(services, configure);
        services.AddOptions<MembershipOptions>();
        services.TryAddSingleton<IMembershipProbeClient>(sp => new HttpMembershipProbeClient(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMembershipTable>(sp => new PostgresMembershipTable(
            sp.GetRequiredService<PostgresSiloStore>().DataSource, ClusterId(sp), sp.GetRequiredService<IOptions<PostgresClusteringOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var localSilo = sp.GetRequiredService<LocalSiloDetails>();
            return new MembershipService(
                sp.GetRequiredService<IMembershipTable>(),
                sp.GetRequiredService<IMembershipProbeClient>(),
                () => localSilo.SiloAddress,
                localSilo.Name,
                sp.GetRequiredService<IOptions<MembershipOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MembershipService>>());
        });
        services.AddSingleton<IClusterMembershipView>(sp => sp.GetRequiredService<MembershipService>());
        services.AddSingleton<ISiloMembership, PostgresSiloMembership>();
        services.AddSingleton<ISiloEndpointMapper, MembershipEndpointMapper>();
        services.RemoveAll<IGrainDirectory>();
        services.AddSingleton<IGrainDirectory>(sp => new PostgresGrainDirectory(
            sp.GetRequiredService<PostgresSiloStore>().DataSource, ClusterId(sp), sp.GetRequiredService<IOptions<PostgresClusteringOptions>>().Value));
        return builder;
    }

    /// <summary>
    /// Durable reminders in PostgreSQL at <paramref name="connectionString"/> (the same options as
    /// <see cref="UsePostgresClustering(ISiloBuilder, string)"/>: one database, one connection pool).
    /// </summary>
    public static ISiloBuilder UsePostgresReminders(this ISiloBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgresReminders(o => o.ConnectionString = connectionString);
    }

    /// <summary>Durable reminders in PostgreSQL; with no <paramref name="configure"/>, in the clustering database.</summary>
    public static ISiloBuilder UsePostgresReminders(this ISiloBuilder builder, Action<PostgresClusteringOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddPostgresStore(services, configure ?? (_ => { }));
        services.RemoveAll<IReminderTable>();
        services.AddSingleton<IReminderTable>(sp => new PostgresReminderTable(
            sp.GetRequiredService<PostgresSiloStore>().DataSource, ClusterId(sp), sp.GetRequiredService<IOptions<PostgresClusteringOptions>>().Value));
        return builder;
    }

    private static void AddPostgresStore(IServiceCollection services, Action<PostgresClusteringOptions> configure)
    {
        services.Configure(configure);
        services.TryAddSingleton<PostgresSiloStore>();
    }

    private static string ClusterId(IServiceProvider services) => services.GetRequiredService<IOptions<SiloOptions>>().Value.ClusterId;
}

/// <summary>The silo's one PostgreSQL data source (connection pool), shared by membership, directory and reminders.</summary>
internal sealed class PostgresSiloStore(IOptions<PostgresClusteringOptions> options) : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> dataSource = new(options.Value.CreateDataSource);

    public NpgsqlDataSource DataSource => dataSource.Value;

    public async ValueTask DisposeAsync()
    {
        if (dataSource.IsValueCreated)
        {
            await dataSource.Value.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Joins and leaves through the membership protocol; the directory's tables are ready before the silo is Active.</summary>
internal sealed class PostgresSiloMembership(MembershipService membership, IGrainDirectory directory) : ISiloMembership
{
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        await directory.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await membership.JoinAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task BeginLeaveAsync(CancellationToken cancellationToken) => membership.BeginLeaveAsync(cancellationToken);

    public Task LeaveAsync(CancellationToken cancellationToken) => membership.LeaveAsync(cancellationToken);
}

/// <summary>Serves the membership probe and table-changed endpoints on the silo's HTTP/2 port.</summary>
internal sealed class MembershipEndpointMapper(MembershipService membership) : ISiloEndpointMapper
{
    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapMembershipProbe(membership);
}
