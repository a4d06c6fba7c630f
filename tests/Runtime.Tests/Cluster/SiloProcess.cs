using System.Diagnostics;
using System.Text;

namespace MossGrains.Runtime.Tests.Cluster;

/// <summary>
/// One real silo process (tests/Runtime.TestSilo) on a free 127.0.0.1 port. Start awaits its
/// "MOSS-SILO-READY" line; all output is kept for failure messages. Disposal always kills it.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const string ReadyPrefix = "MOSS-SILO-READY ";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process) => this.process = process;

    /// <summary>The silo's address as it reports it (host:port@generation).</summary>
    public SiloAddress Address { get; private set; } = null!;

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Everything the process wrote so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts a silo with <paramref name="arguments"/> (see TestSiloArguments) and waits until it is Active.</summary>
    public static async Task<SiloProcess> StartAsync(string connectionString, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TestSiloPath());
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MOSS_SILO_POSTGRES"] = connectionString;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(process);
        process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data);
        process.Exited += (_, _) => silo.ready.TrySetException(new InvalidOperationException($"The silo process exited with code {process.ExitCode} before it was ready:\n{silo.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            string address = await silo.ready.Task.WaitAsync(ReadyTimeout, cancellationToken);
            silo.Address = SiloAddress.Parse(address);
            return silo;
        }
        catch (TimeoutException)
        {
            await silo.DisposeAsync();
            throw new TimeoutException($"The silo process was not ready within {ReadyTimeout}:\n{silo.Output}");
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9: the process dies without leaving the cluster.</summary>
    public void KillHard()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>kill -TERM: the host shuts the silo down gracefully; waits for the process to exit.</summary>
    public async Task StopGracefullyAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The silo did not stop within {timeout} after SIGTERM:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            KillHard();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            ready.TrySetResult(line[ReadyPrefix.Length..].Trim());
        }
    }

    /// <summary>The test project references TestSilo, so its build (with runtimeconfig) sits next to the tests.</summary>
    private static string TestSiloPath()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "MossGrains.Runtime.TestSilo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The TestSilo build is missing next to the tests (the test project references tests/Runtime.TestSilo).", path);
    }
}
