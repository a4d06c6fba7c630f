using System.Diagnostics;

namespace MossGrains.Runtime.TestSilo;

/// <summary>
/// One test silo (tests/Runtime.TestSilo) running as a real child process on 127.0.0.1 against
/// PostgreSQL. Its standard-output lines (READY, ACTIVATED, DEACTIVATED, TICK, STOPPED) are kept
/// and can be awaited. Shared by the multi-process runtime tests and the failover bench.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly List<string> errors = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> waiters = [];

    private SiloProcess(Process process)
    {
        this.process = process;
    }

    public SiloAddress Address { get; private set; } = null!;

    public bool HasExited => process.HasExited;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => process.WaitForExitAsync();

    public static async Task<SiloProcess> StartAsync(string connectionString, string clusterId, params string[] extraArguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TestSiloPath());
        foreach (var argument in new[] { "--postgres", connectionString, "--cluster", clusterId }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(process);
        process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (silo.errors)
                {
                    silo.errors.Add(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            string ready = await silo.WaitForLineAsync(l => l.StartsWith("READY ", StringComparison.Ordinal), StartTimeout);
            silo.Address = SiloAddress.Parse(ready["READY ".Length..]);
            return silo;
        }
        catch
        {
            // No READY: do not leave a half-started silo running.
            await silo.DisposeAsync();
            throw;
        }
    }

    public string[] Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    /// <summary>Keys this silo reported as activated.</summary>
    public string[] ActivatedKeys => [.. Lines.Where(l => l.StartsWith("ACTIVATED ", StringComparison.Ordinal)).Select(l => l["ACTIVATED ".Length..])];

    public int LineCount
    {
        get
        {
            lock (lines)
            {
                return lines.Count;
            }
        }
    }

    /// <summary>The first line matching <paramref name="match"/> from line <paramref name="fromLine"/> on (waits for it).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int fromLine = 0)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (lines)
        {
            var existing = lines.Skip(fromLine).FirstOrDefault(match);
            if (existing is not null)
            {
                return existing;
            }

            waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Silo {Address} printed no matching line within {timeout}. Last output:\n{string.Join('\n', Lines.TakeLast(20))}\nErrors:\n{Errors()}");
        }
    }

    /// <summary>SIGKILL: the process dies at once, without any clean-up.</summary>
    public void Kill() => process.Kill(entireProcessTree: false);

    /// <summary>Graceful shutdown: "stop" on standard input, then wait for the process to exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await process.StandardInput.WriteLineAsync("stop");
        await process.StandardInput.FlushAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
    }

    /// <summary>SIGTERM (what an orchestrator sends): the host stops the silo gracefully; waits for the process to exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        await SignalAsync("TERM");
        await process.WaitForExitAsync().WaitAsync(timeout);
    }

    /// <summary>Sends a signal (TERM, STOP, CONT, …) to the process; returns kill's exit code (0 when delivered).</summary>
    public async Task<int> SignalAsync(string signal)
    {
        // The shell's built-in kill: present even where no kill executable is installed.
        using var kill = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", $"kill -{signal} \"$0\"", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
        return kill.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static string TestSiloPath()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "MossGrains.Runtime.TestSilo.dll");
        return File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json"))
            ? path
            : throw new FileNotFoundException("The test silo is not next to the running program; build a project that references tests/Runtime.TestSilo.", path);
    }

    private string Errors()
    {
        lock (errors)
        {
            return string.Join('\n', errors.TakeLast(20));
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> matched = [];
        lock (lines)
        {
            lines.Add(line);
            for (int i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Match(line))
                {
                    matched.Add(waiters[i].Found);
                    waiters.RemoveAt(i);
                }
            }
        }

        foreach (var found in matched)
        {
            found.TrySetResult(line);
        }
    }
}
