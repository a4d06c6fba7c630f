using System.Diagnostics;
using System.Globalization;

namespace MossGrains.Testing;

/// <summary>
/// The real silo executable (src/Silo) as a child process on 127.0.0.1, configured through environment variables as an
/// operator would configure it. Kill it with SIGKILL, hang it with SIGSTOP, stop it with SIGTERM.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, string name, int siloPort, int gatewayPort, int httpPort)
    {
        _process = process;
        Name = name;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
    }

    public string Name { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    /// <summary>The gateway as a client names it.</summary>
    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public Uri HttpBase => new($"http://127.0.0.1:{HttpPort}");

    public ChildProcess Process => _process;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts a silo of cluster <paramref name="clusterId"/> on Azure Storage at <paramref name="storageConnectionString"/>,
    /// waiting until it has joined and announced itself. <paramref name="settings"/> are further configuration keys
    /// (e.g. <c>Moss:Sessions:CheckpointInterval</c>). Its HTTP API runs open (<c>Moss:Http:AllowAnonymous</c>) unless
    /// the settings configure keys.
    /// </summary>
    public static Task<SiloProcess> StartAsync(string name, string storageConnectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null) =>
        StartCoreAsync(name, settings, new Dictionary<string, string>
        {
            ["Moss:Silo:Clustering"] = "AzureStorage",
            ["Moss:Silo:StorageConnectionString"] = storageConnectionString,
            ["Moss:Silo:ClusterId"] = clusterId,
            ["Moss:Silo:ServiceId"] = clusterId,
            ["Moss:Http:AllowAnonymous"] = "true",
        });

    /// <summary>Starts a single-node silo (<c>Localhost</c> mode: no external service, index binaries in its own temporary folder).</summary>
    public static Task<SiloProcess> StartLocalhostAsync(string name, IReadOnlyDictionary<string, string>? settings = null) =>
        StartCoreAsync(name, settings, new Dictionary<string, string> { ["Moss:Silo:Clustering"] = "Localhost" });

    private static async Task<SiloProcess> StartCoreAsync(string name, IReadOnlyDictionary<string, string>? settings, Dictionary<string, string> mode)
    {
        int siloPort = FreePort.OnLoopback(), gatewayPort = FreePort.OnLoopback(), httpPort = FreePort.OnLoopback();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Directory.CreateTempSubdirectory($"moss-{name}-").FullName };
        start.ArgumentList.Add(TestPaths.AppBesideTests("MossGrains.Silo.dll", "src/Silo"));
        var environment = new Dictionary<string, string>(mode)
        {
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
            ["Moss:Silo:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Moss:Silo:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Orleans"] = "Warning",
            ["Logging:LogLevel:Polly"] = "Warning",
            ["Logging:LogLevel:Azure"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = ChildProcess.Start(start, $"silo {name}");
        var silo = new SiloProcess(process, name, siloPort, gatewayPort, httpPort);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("MossGrains silo ready", StringComparison.Ordinal), StartTimeout);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts silos <c>{prefix}0…</c> of one cluster concurrently; if any fails to start, the others are stopped.</summary>
    public static async Task<SiloProcess[]> StartManyAsync(int count, string prefix, string storageConnectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null)
    {
        var starts = Enumerable.Range(0, count).Select(i => StartAsync($"{prefix}{i}", storageConnectionString, clusterId, settings)).ToArray();
        try
        {
            return await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Starts silos <c>{prefix}0…</c> of one cluster, each once the one before is ready; if one fails to start, the others are stopped.</summary>
    public static async Task<SiloProcess[]> StartOneAtATimeAsync(int count, string prefix, string storageConnectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null)
    {
        var started = new List<SiloProcess>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                started.Add(await StartAsync($"{prefix}{i}", storageConnectionString, clusterId, settings));
            }

            return [.. started];
        }
        catch
        {
            foreach (var silo in started)
            {
                await silo.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>SIGKILL: the silo dies at once, without leaving the cluster.</summary>
    public void Kill() => _process.Kill();

    public Task<int> SignalAsync(string signal) => _process.SignalAsync(signal);

    /// <summary>SIGTERM, as an orchestrator stops a silo; waits for the process to exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        await SignalAsync("TERM");
        await _process.Exited.WaitAsync(timeout);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
