using System.Diagnostics;
using System.Globalization;

namespace MossGrains.Testing;

/// <summary>
/// A child process whose output lines are kept and can be awaited. Its PID is recorded in the folder
/// <c>MOSS_TEST_PIDS</c> names (eng/test.sh sets it), so the test script kills anything a crashed test run left behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _name;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly string? _pidFile;

    private ChildProcess(Process process, string name, string? pidFile)
    {
        _process = process;
        _name = name;
        _pidFile = pidFile;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public Task Exited => _process.WaitForExitAsync();

    /// <summary>The exit status, once <see cref="Exited"/> has completed.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="start"/> with standard output and error captured and standard input open.</summary>
    public static ChildProcess Start(ProcessStartInfo start, string name)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Start();
        string? pidFile = null;
        if (Environment.GetEnvironmentVariable("MOSS_TEST_PIDS") is { Length: > 0 } pids)
        {
            Directory.CreateDirectory(pids);
            pidFile = Path.Combine(pids, process.Id.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(pidFile, name);
        }

        var child = new ChildProcess(process, name, pidFile);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public string[] Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The first line that matches; waits for it, failing early if the process exits.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            if (_lines.FirstOrDefault(match) is { } existing)
            {
                return existing;
            }

            _waiters.Add((match, found));
        }

        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
        if (first == found.Task)
        {
            return await found.Task;
        }

        string why = first == exited ? $"exited with code {_process.ExitCode}" : $"printed no matching line within {timeout}";
        throw new TimeoutException($"{_name} {why}. Last output:\n{string.Join('\n', Lines.TakeLast(30))}");
    }

    /// <summary>SIGKILL: the process dies at once, without any clean-up.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>Sends a signal (TERM, STOP, CONT…) with the shell's built-in kill; returns its exit code (0 = delivered).</summary>
    public async Task<int> SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("sh")
        {
            ArgumentList = { "-c", $"kill -{signal} \"$0\"", _process.Id.ToString(CultureInfo.InvariantCulture) },
        })!;
        await kill.WaitForExitAsync();
        return kill.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_pidFile is not null)
        {
            File.Delete(_pidFile);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> matched = [];
        lock (_lines)
        {
            _lines.Add(line);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    matched.Add(_waiters[i].Found);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var found in matched)
        {
            found.TrySetResult(line);
        }
    }
}
