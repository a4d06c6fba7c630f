using System.CommandLine;
using System.Text.Json.Nodes;
using MossGrains.Cli.Output;

namespace MossGrains.Cli.Commands;

/// <summary><c>moss load &lt;index&gt; [--auto-refresh] [--interval seconds]</c>: loads (or refreshes) a stored index for queries.</summary>
public static class LoadCommand
{
    public static Command Create(GlobalOptions global)
    {
        var index = new Argument<string>("index") { Description = "The stored index to load" };
        var autoRefresh = new Option<bool>("--auto-refresh") { Description = "Check the store for newer versions and load them" };
        var interval = new Option<int?>("--interval") { Description = "Seconds between checks, 10 to 86400 (server default 600)" };
        var command = new Command("load", "Load a stored index into the cluster's memory (already loaded: refresh it now)") { index, autoRefresh, interval };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            var body = new JsonObject { ["auto_refresh"] = parse.GetValue(autoRefresh) };
            if (parse.GetValue(interval) is { } seconds)
            {
                body["polling_interval"] = seconds;
            }

            using var api = global.Api(parse);
            var info = await api.PostAsync(api.ProjectPath($"indexes/{Uri.EscapeDataString(parse.GetValue(index)!)}/load"), body, ct);
            Tables.Fields(info, $"loaded {parse.GetValue(index)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
