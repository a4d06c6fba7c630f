using Microsoft.Extensions.DependencyInjection;
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
        AddDataSource(services, connectionString);
        services.AddOptions<MembershipOptions>();
        if (configureMembership is not null)
        {
            services.Configure(configureMembership);
        }

        services.AddSingleton<IMembershipTable>(sp => new PostgresMembershipTable(sp.GetRequiredService<PostgresDataSource>().DataSource, ClusterId(sp), sp.GetRequiredService<PostgresDataSource>().Options));
        services.AddSingleton<IGrainDirectory>(sp => new PostgresGrainDirectory(sp.GetRequiredService<PostgresDataSource>().DataSource, ClusterId(sp), sp.GetRequiredService<PostgresDataSource>().Options));
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
        services.AddSingleton<ISiloMembership, ProtocolSiloMembership>();
        return builder;
    }

    /// <summary>Durable reminders in PostgreSQL (any clustering provider).</summary>
    public static ISiloBuilder UsePostgresReminders(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        AddDataSource(builder.Services, connectionString);
        builder.Services.AddSingleton<IReminderTable>(sp => new PostgresReminderTable(sp.GetRequiredService<PostgresDataSource>().DataSource, ClusterId(sp), sp.GetRequiredService<PostgresDataSource>().Options));
        return builder;
    }

    private static string ClusterId(IServiceProvider services) => services.GetRequiredService<IOptions<SiloOptions>>().Value.ClusterId;

    private static void AddDataSource(IServiceCollection services, string connectionString)
    {
        if (!services.Any(s => s.ServiceType == typeof(PostgresDataSource)))
        {
            services.AddSingleton(_ => new PostgresDataSource(new PostgresClusteringOptions { ConnectionString = connectionString }));
        }
    }

    /// <summary>One Npgsql data source shared by the silo's PostgreSQL providers.</summary>
    private sealed class PostgresDataSource(PostgresClusteringOptions options) : IDisposable
    {
        public PostgresClusteringOptions Options { get; } = options;

        public NpgsqlDataSource DataSource { get; } = options.CreateDataSource();

        public void Dispose() => DataSource.Dispose();
    }
}

/// <summary>Joining and leaving through the membership protocol; the directory's table is prepared first.</summary>
internal sealed class ProtocolSiloMembership(MembershipService membership, IGrainDirectory directory) : ISiloMembership
{
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        if (directory is PostgresGrainDirectory postgres)
        {
            await postgres.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        await membership.JoinAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task BeginLeaveAsync(CancellationToken cancellationToken) => membership.BeginLeaveAsync(cancellationToken);

    public Task LeaveAsync(CancellationToken cancellationToken) => membership.LeaveAsync(cancellationToken);
}
