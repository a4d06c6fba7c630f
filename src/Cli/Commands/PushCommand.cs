using System.CommandLine;
using MossGrains.Cli.Output;

namespace MossGrains.Cli.Commands;

/// <summary><c>moss push &lt;session&gt;</c>: pushes a session's index to the store as a new version.</summary>
public static class PushCommand
{
    public static Command Create(GlobalOptions global)
    {
        var session = new Argument<string>("session") { Description = "The session to push" };
        var command = new Command("push", "Push a session's index to the store as a new immutable version") { session };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            using var api = global.Api(parse);
            var pushed = await api.PostAsync(api.ProjectPath($"sessions/{Uri.EscapeDataString(parse.GetValue(session)!)}/push"), null, ct);
            Tables.Fields(pushed, $"pushed {parse.GetValue(session)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
