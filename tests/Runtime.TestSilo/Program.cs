using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MossGrains.Runtime;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.TestSilo;
using Npgsql;

// A real silo process on PostgreSQL clustering, hosting the multi-process test grains.
// Prints "MOSS-SILO-READY <silo address>" once Active; SIGTERM stops it gracefully.
var options = TestSiloArguments.Parse(args);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(Enum.Parse<LogLevel>(options.LogLevel, ignoreCase: true));
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(options.ConnectionString));
builder.Services.AddSingleton(sp => new TestEventLog(sp.GetRequiredService<NpgsqlDataSource>()));
builder.UseMossGrainsSilo(silo =>
{
    silo.UsePostgresClustering(options.ConnectionString)
        .UsePostgresReminders()
        .AddGrains(typeof(ProbeGrain).Assembly)
        .Configure<SiloOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.Port = options.Port;
        });
    if (options.TestMembership)
    {
        silo.Configure<MembershipOptions>(o => CopyTimings(MembershipOptions.ForTests(), o));
    }

    if (options.ReminderPeriod is { } period)
    {
        silo.Configure<ReminderOptions>(o =>
        {
            o.MinimumReminderPeriod = period;
            o.RefreshReminderListPeriod = period;
        });
    }
});
using var host = builder.Build();
await host.StartAsync();
string self = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISiloInfoGrain>($"ready-{Environment.ProcessId}").GetSiloAsync();
Console.WriteLine($"MOSS-SILO-READY {self}");
await host.WaitForShutdownAsync();
Console.WriteLine($"MOSS-SILO-STOPPED {self}");
return 0;

static void CopyTimings(MembershipOptions from, MembershipOptions to)
{
    to.ProbePeriod = from.ProbePeriod;
    to.ProbeTimeout = from.ProbeTimeout;
    to.IAmAlivePeriod = from.IAmAlivePeriod;
    to.TableRefreshPeriod = from.TableRefreshPeriod;
    to.DeathVoteExpiration = from.DeathVoteExpiration;
}
