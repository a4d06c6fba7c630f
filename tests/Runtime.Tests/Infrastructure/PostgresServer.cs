using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MossGrains.Runtime.Tests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL server for the whole test run: initdb in a temp directory, started on a
/// free 127.0.0.1 port with fsync off, as a non-root user (the <c>postgres</c> system user when the
/// tests run as root), stopped with <c>pg_ctl stop -m immediate</c> when the test process exits.
/// Set <c>MOSS_TEST_POSTGRES</c> to a connection string to use an existing server instead.
/// Binaries: <c>MOSS_PG_BIN</c>, else <c>initdb</c> on PATH, else the newest /usr/lib/postgresql/N/bin.
/// </summary>
public sealed class PostgresServer
{
    private const string ExternalServerVariable = "MOSS_TEST_POSTGRES";
    private const string ServiceUser = "postgres";
    private const string OwnerFileName = "owner.pid";
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartSharedAsync);

    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly bool _asServiceUser;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? binDirectory, bool asServiceUser)
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _asServiceUser = asServiceUser;
    }

    /// <summary>Superuser connection to the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The run's server, started on first use.</summary>
    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database and returns a connection string for it (pool of at most 40 connections).</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        string name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            // Identifiers cannot be parameters; the name is ours: a prefix from test code plus hex digits.
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // Several test classes and silos share the server: keep each pool well under max_connections.
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 40 }.ConnectionString;
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        if (Environment.GetEnvironmentVariable(ExternalServerVariable) is { Length: > 0 } external)
        {
            var server = new PostgresServer(external, null, null, false);
            await WaitForReadyAsync(external, null);
            return server;
        }

        string bin = FindBinDirectory();
        bool asServiceUser = Environment.IsPrivilegedProcess;
        StopAbandonedServers(bin, asServiceUser);
        Exception? lastError = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int port = FreePort.OnLoopback();
            string root = Directory.CreateTempSubdirectory("moss-pg-").FullName;
            string data = Path.Combine(root, "data");
            await File.WriteAllTextAsync(Path.Combine(root, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            var server = new PostgresServer(
                $"Host=127.0.0.1;Port={port};Username={ServiceUser};Database=postgres;Pooling=true;Maximum Pool Size=10;Timeout=15;Command Timeout=60",
                data,
                bin,
                asServiceUser);
            try
            {
                await server.InitAndStartAsync(root, port);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                return server;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or NpgsqlException)
            {
                lastError = ex;
                server.Stop();
            }
        }

        throw new InvalidOperationException("The throw-away PostgreSQL server did not start.", lastError);
    }

    private async Task InitAndStartAsync(string root, int port)
    {
        if (_asServiceUser)
        {
            await RunAsync("chown", ["-R", $"{ServiceUser}:", root], asServiceUser: false);
        }

        await RunToolAsync("initdb", ["-D", _dataDirectory!, "-U", ServiceUser, "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions"]);
        string settings = string.Join('\n',
            $"port = {port.ToString(CultureInfo.InvariantCulture)}",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_connections = 500",
            "shared_buffers = 64MB",
            "log_min_messages = warning",
            "");
        await File.AppendAllTextAsync(Path.Combine(_dataDirectory!, "postgresql.conf"), settings);
        await RunToolAsync("pg_ctl", ["start", "-D", _dataDirectory!, "-l", Path.Combine(root, "server.log"), "-W"]);
        await WaitForReadyAsync(AdminConnectionString, Path.Combine(root, "server.log"));
    }

    /// <summary>
    /// Stops the server and deletes its directory from a detached shell: the test host may be
    /// killed right after ProcessExit, and the stop must still finish.
    /// </summary>
    private void Stop()
    {
        if (_dataDirectory is null || !File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
        {
            return;
        }

        StopDetached(_binDirectory!, Path.GetDirectoryName(_dataDirectory)!, _asServiceUser);
    }

    private static void StopDetached(string bin, string root, bool asServiceUser)
    {
        var start = new ProcessStartInfo { FileName = "setsid", UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        if (asServiceUser)
        {
            foreach (string part in (string[])["runuser", "-u", ServiceUser, "--"])
            {
                start.ArgumentList.Add(part);
            }
        }

        // $1 = pg_ctl, $2 = the server's root directory: passed as arguments, never spliced into the script.
        foreach (string part in (string[])["sh", "-c", "\"$1\" stop -D \"$2/data\" -m immediate -w >/dev/null 2>&1; rm -rf \"$2\"", "stop", Path.Combine(bin, "pg_ctl"), root])
        {
            start.ArgumentList.Add(part);
        }

        try
        {
            using var process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Console.Error.WriteLine($"Stopping the test PostgreSQL in {root} failed: {ex.Message}");
        }
    }

    /// <summary>Stops servers and removes directories left by earlier test runs whose process died.</summary>
    private static void StopAbandonedServers(string bin, bool asServiceUser)
    {
        foreach (var directory in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories("moss-pg-*"))
        {
            string ownerFile = Path.Combine(directory.FullName, OwnerFileName);
            bool ownerAlive = File.Exists(ownerFile)
                && int.TryParse(File.ReadAllText(ownerFile), CultureInfo.InvariantCulture, out int owner)
                && IsRunning(owner);
            if (!ownerAlive && directory.LastWriteTimeUtc < DateTime.UtcNow.AddMinutes(-1))
            {
                StopDetached(bin, directory.FullName, asServiceUser);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Polls a real connection (bounded), so "ready" means queries work, not just that the port is open.</summary>
    private static async Task WaitForReadyAsync(string connectionString, string? logFile)
    {
        var deadline = Stopwatch.StartNew();
        NpgsqlException? last = null;
        while (deadline.Elapsed < ReadinessTimeout)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync();
                return;
            }
            catch (NpgsqlException ex)
            {
                last = ex;
                NpgsqlConnection.ClearAllPools();
                await Task.Delay(100);
            }
        }

        string log = logFile is not null && File.Exists(logFile) ? await File.ReadAllTextAsync(logFile) : "";
        throw new TimeoutException($"PostgreSQL was not ready within {ReadinessTimeout.TotalSeconds} s. Server log:\n{log}", last);
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
        RunAsync(Path.Combine(_binDirectory!, tool), arguments, _asServiceUser, Path.GetDirectoryName(_dataDirectory));

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asServiceUser, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = asServiceUser ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (asServiceUser)
        {
            foreach (string part in (string[])["-u", ServiceUser, "--", program])
            {
                start.ArgumentList.Add(part);
            }
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static string FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("MOSS_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = new FileInfo(Path.Combine(directory, "initdb"));
            if (candidate.Exists)
            {
                return Path.GetDirectoryName(candidate.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate.FullName)!;
            }
        }

        // Debian/Ubuntu keep server binaries off PATH, one directory per major version.
        var debian = new DirectoryInfo("/usr/lib/postgresql");
        var newest = debian.Exists
            ? debian.GetDirectories()
                .Select(d => (Version: int.TryParse(d.Name, CultureInfo.InvariantCulture, out int v) ? v : 0, Bin: Path.Combine(d.FullName, "bin")))
                .Where(d => File.Exists(Path.Combine(d.Bin, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found: run eng/test-setup.d/40-postgres.sh, set MOSS_PG_BIN, or set MOSS_TEST_POSTGRES to a server's connection string.");
    }
}

/// <summary>One fresh database per test class on the run's shared server, with a data source for it.</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _connectionString;
    private NpgsqlDataSource? _dataSource;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        _connectionString = await server.CreateDatabaseAsync("moss_test", CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    /// <summary>The database itself goes with the server at the end of the run.</summary>
    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
