using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Tests.Infrastructure;
using MossGrains.Runtime.Tests.ProgrammingModel;
using Npgsql;

namespace MossGrains.Runtime.Tests.Providers;

/// <summary>How the PostgreSQL builder extensions wire their connection strings into the providers.</summary>
public sealed class PostgresProviderWiringTests
{
    [Fact]
    public async Task UsePostgresReminders_AfterUsePostgresClustering_WritesToItsOwnDatabase()
    {
        var server = await PostgresServer.GetAsync();
        string clusteringDatabase = await server.CreateDatabaseAsync("moss_wiring_cluster", CancellationToken.None);
        string remindersDatabase = await server.CreateDatabaseAsync("moss_wiring_reminders", CancellationToken.None);
        string cluster = $"wiring-{Guid.NewGuid():N}";

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseMossGrainsSilo(silo =>
        {
            silo.Configure<SiloOptions>(o =>
            {
                o.ClusterId = cluster;
                o.Port = 0;
            });
            silo.UsePostgresClustering(clusteringDatabase).UsePostgresReminders(remindersDatabase).AddGrains(typeof(LocalSilo).Assembly);
        });
        using (var host = builder.Build())
        {
            await host.StartAsync();
            string key = $"wired-{Guid.NewGuid():N}";
            await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderTestGrain>(key).RegisterAsync("r", TimeSpan.FromMinutes(1));
            await host.StopAsync();
        }

        Assert.Equal(1, await CountAsync(remindersDatabase, "SELECT count(*) FROM moss_reminders WHERE cluster_id = @c", cluster));
        Assert.Equal(1, await CountAsync(clusteringDatabase, "SELECT count(*) FROM moss_membership WHERE cluster_id = @c", cluster));
        Assert.Equal(0, await CountAsync(clusteringDatabase, "SELECT count(*) FROM moss_reminders WHERE cluster_id = @c", cluster));
    }

    private static async Task<long> CountAsync(string connectionString, string sql, string cluster)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("c", cluster);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
