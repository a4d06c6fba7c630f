using System.Globalization;

namespace MossGrains.Runtime.TestSilo;

/// <summary>
/// Command line of the test silo: <c>--postgres &lt;connection string&gt;</c> (or env MOSS_SILO_POSTGRES),
/// <c>--cluster &lt;id&gt;</c>, <c>--port &lt;n&gt;</c> (0 = any free port, the default),
/// <c>--test-membership</c> (MembershipOptions.ForTests()), <c>--reminder-period-ms &lt;n&gt;</c>
/// (minimum reminder period and reminder refresh period), <c>--log-level &lt;level&gt;</c>.
/// </summary>
public sealed record TestSiloArguments(string ConnectionString, string ClusterId, int Port, bool TestMembership, TimeSpan? ReminderPeriod, string LogLevel)
{
    public static TestSiloArguments Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? connectionString = Environment.GetEnvironmentVariable("MOSS_SILO_POSTGRES");
        string clusterId = "test";
        int port = 0;
        bool testMembership = false;
        TimeSpan? reminderPeriod = null;
        string logLevel = "Warning";
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Missing value after {args[i]}.", nameof(args));
            switch (args[i])
            {
                case "--postgres": connectionString = Value(); break;
                case "--cluster": clusterId = Value(); break;
                case "--port": port = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--test-membership": testMembership = true; break;
                case "--reminder-period-ms": reminderPeriod = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
                case "--log-level": logLevel = Value(); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}.", nameof(args));
            }
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("Give the PostgreSQL connection string with --postgres or MOSS_SILO_POSTGRES.", nameof(args));
        }

        return new TestSiloArguments(connectionString, clusterId, port, testMembership, reminderPeriod, logLevel);
    }
}
