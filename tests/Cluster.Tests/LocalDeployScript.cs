using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MossGrains.Testing;

namespace MossGrains.Cluster.Tests;

/// <summary>
/// deploy/local/moss-local run as a user runs it, on its own run folder and ports, with the silo the tests were built
/// with (<c>MOSS_LOCAL_SILO</c>) so it does not rebuild src/Silo.
/// </summary>
internal sealed class LocalDeployScript
{
    public const int Silos = 3;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);
    private readonly Action<string> _log;
    private readonly int _basePort;

    public LocalDeployScript(string runDirectory, Action<string> log)
    {
        RunDirectory = runDirectory;
        _log = log;
        _basePort = FreePortBlock(12);
    }

    public string RunDirectory { get; }

    public int AzuritePort => _basePort;

    public int SiloPort(int silo) => _basePort + 3 + silo;

    public Uri HttpBase(int silo) => new($"http://127.0.0.1:{_basePort + 9 + silo}");

    /// <summary>The project key <c>up</c> generated.</summary>
    public string ProjectKey => File.ReadAllText(Path.Combine(RunDirectory, "project-key")).Trim();

    /// <summary>The operator key <c>up</c> generated (opens the Orleans Dashboard).</summary>
    public string OperatorKey => File.ReadAllText(Path.Combine(RunDirectory, "operator-key")).Trim();

    /// <summary>PID of <c>azurite</c> or <c>silo0…</c> from the script's PID file.</summary>
    public int PidOf(string name) => int.Parse(File.ReadAllText(Path.Combine(RunDirectory, $"{name}.pid")).Trim(), CultureInfo.InvariantCulture);

    public static IEnumerable<string> ProcessNames => ["azurite", .. Enumerable.Range(0, Silos).Select(i => $"silo{i}")];

    /// <summary>Runs one subcommand to its end (bounded) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string verb)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = TestPaths.RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(TestPaths.RepositoryRoot, "deploy", "local", "moss-local"));
        start.ArgumentList.Add(verb);
        start.Environment["MOSS_LOCAL_DIR"] = RunDirectory;
        start.Environment["MOSS_NATIVE_DIR"] = TestPaths.NativeDirectory;
        start.Environment["MOSS_LOCAL_SILO"] = TestPaths.AppBesideTests("MossGrains.Silo.dll", "src/Silo");
        start.Environment["MOSS_LOCAL_CLUSTER_ID"] = "deploy-test";
        start.Environment["MOSS_LOCAL_AZURITE_PORT"] = $"{AzuritePort}";
        start.Environment["MOSS_LOCAL_SILO_PORT"] = $"{SiloPort(0)}";
        start.Environment["MOSS_LOCAL_GATEWAY_PORT"] = $"{_basePort + 6}";
        start.Environment["MOSS_LOCAL_HTTP_PORT"] = $"{_basePort + 9}";
        await using var script = ChildProcess.Start(start, $"moss-local {verb}");
        try
        {
            await script.Exited.WaitAsync(ScriptTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"moss-local {verb} did not end within {ScriptTimeout}:\n{string.Join('\n', script.Lines)}");
        }

        string output = string.Join('\n', script.Lines);
        _log($"$ moss-local {verb} -> exit {script.ExitCode}\n{output}");
        return (script.ExitCode, output);
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is a live process. A zombie is not: it has exited and holds nothing, and the
    /// script's processes are reparented to init, which reaps them on its own schedule.
    /// </summary>
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }

        char state = stat[(stat.LastIndexOf(')') + 2)..][0];
        return state is not ('Z' or 'X');
    }

    /// <summary>
    /// <paramref name="count"/> consecutive loopback ports below the ephemeral range (where <see cref="FreePort"/>'s
    /// OS-chosen ports come from), all free now: the script numbers each service's ports from one base.
    /// </summary>
    private static int FreePortBlock(int count)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int first = Random.Shared.Next(20_000, 32_000 - count);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports between 20000 and 32000.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
