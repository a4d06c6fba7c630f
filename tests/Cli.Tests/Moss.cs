using System.Diagnostics;
using MossGrains.Testing;

namespace MossGrains.Cli.Tests;

/// <summary>What a run of the CLI printed (standard output and error, in order) and its exit code.</summary>
public sealed record MossRun(int ExitCode, string[] Lines)
{
    public string Output => string.Join('\n', Lines);

    public override string ToString() => $"exit {ExitCode}:\n{Output}";
}

/// <summary>Runs the built CLI (<c>dotnet moss.dll …</c>) as a child process with only the environment a test gives it.</summary>
public static class Moss
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    public static string DllPath => TestPaths.AppBesideTests("moss.dll", "src/Cli");

    /// <summary>Starts the CLI; <paramref name="environment"/> adds variables (MOSS_URL…), and the caller's MOSS_* are removed.</summary>
    public static ChildProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory ?? Path.GetTempPath() };
        start.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in new[] { "MOSS_URL", "MOSS_PROJECT", "MOSS_KEY" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return ChildProcess.Start(start, $"moss {string.Join(' ', args.Take(2))}");
    }

    /// <summary>Runs the CLI to its end.</summary>
    public static async Task<MossRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var process = Start(args, environment);
        // Process.WaitForExitAsync also waits for the end of the redirected output.
        await process.Exited.WaitAsync(RunTimeout);
        return new MossRun(process.ExitCode, process.Lines);
    }
}
