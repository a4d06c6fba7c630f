using Spectre.Console;

namespace MossGrains.Cli.Output;

/// <summary>
/// Where the CLI writes: results (tables, summaries, JSON) to standard output, messages and progress to standard error,
/// so a script can capture one without the other. Redirected output gets a wide fixed width and no colours.
/// </summary>
public static class Terminal
{
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>True when standard error is a terminal, where a live progress bar can redraw itself.</summary>
    public static bool ErrorIsInteractive => !Console.IsErrorRedirected;

    /// <summary>A line of result on standard output, as it is (never wrapped: scripts and tests read it).</summary>
    public static void Line(string text) => Console.Out.WriteLine(text);

    /// <summary>A message for a person on standard error, as it is.</summary>
    public static void Message(string text) => Console.Error.WriteLine(text);

    /// <summary>An error for a person: <c>error: …</c> on standard error.</summary>
    public static void Fail(string text) => Console.Error.WriteLine($"error: {text}");

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}
