using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MossGrains.Runtime;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.TestSilo;

// Usage: MossGrains.Runtime.TestSilo --postgres <connection string> --cluster <id> [--port 0] [--fast-membership]
//        [--reminder-minimum-seconds N] [--reminder-refresh-seconds N]
// Prints "READY <silo address>" when started; "stop" on standard input shuts it down gracefully.
var options = ParseArguments(args);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("MossGrains", LogLevel.Information);
builder.UseMossGrainsSilo(silo =>
{
    silo.Configure<SiloOptions>(o =>
    {
        o.ClusterId = options["cluster"];
        o.Port = int.Parse(options.GetValueOrDefault("port", "0"), CultureInfo.InvariantCulture);
        o.SiloName = options.GetValueOrDefault("name", $"test-silo-{Environment.ProcessId}");
    });
    silo.UsePostgresClustering(options["postgres"], membership =>
    {
        if (options.ContainsKey("fast-membership"))
        {
            var fast = MembershipOptions.ForTests();
            membership.ProbePeriod = fast.ProbePeriod;
            membership.ProbeTimeout = fast.ProbeTimeout;
            membership.IAmAlivePeriod = fast.IAmAlivePeriod;
            membership.TableRefreshPeriod = fast.TableRefreshPeriod;
            membership.DeathVoteExpiration = fast.DeathVoteExpiration;
        }
    });
    silo.UsePostgresReminders(options["postgres"]);
    silo.Configure<ReminderOptions>(o =>
    {
        o.MinimumReminderPeriod = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("reminder-minimum-seconds", "60"), CultureInfo.InvariantCulture));
        o.RefreshReminderListPeriod = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("reminder-refresh-seconds", "300"), CultureInfo.InvariantCulture));
    });
    silo.AddGrains(typeof(IPingGrain).Assembly);
});
using var host = builder.Build();
await host.StartAsync();
var address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
SiloOutput.WriteLine($"READY {address}");
var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
_ = Task.Run(() =>
{
    while (Console.In.ReadLine() is { } line)
    {
        if (line.Trim() == "stop")
        {
            break;
        }
    }

    lifetime.StopApplication();
});
await host.WaitForShutdownAsync();
SiloOutput.WriteLine("STOPPED");
return 0;

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unexpected argument '{args[i]}'.", nameof(args));
        }

        string name = args[i][2..];
        bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
        result[name] = hasValue ? args[++i] : "true";
    }

    foreach (var required in new[] { "postgres", "cluster" })
    {
        if (!result.ContainsKey(required))
        {
            throw new ArgumentException($"Missing --{required}.", nameof(args));
        }
    }

    return result;
}
