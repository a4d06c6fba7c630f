using System.CommandLine;
using MossGrains.Cli.Output;
using Spectre.Console;

namespace MossGrains.Cli.Commands;

/// <summary><c>moss status</c>: the server's health, the cluster's nodes, and the project's loaded indexes and sessions.</summary>
public static class StatusCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("status", "Show health, cluster nodes, loaded indexes and active sessions");
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            using var api = global.Api(parse);
            string health = await api.SendForTextAsync(HttpMethod.Get, "/health", null, ct);
            Terminal.Line($"{api.BaseUrl} health: {health.Trim()}, project {api.Project}");
            var nodes = await api.GetAsync(api.ProjectPath("nodes"), ct);
            Tables.Rows("nodes", nodes["nodes"]?.AsArray() ?? [], "name", "address", "host_name", "status", "started_at", "activations");
            var indexes = await api.GetAsync(api.ProjectPath("indexes"), ct);
            Tables.Rows("loaded indexes", indexes["indexes"]?.AsArray() ?? [], "name", "model_id", "doc_count", "version", "auto_refresh", "polling_interval", "last_check", "next_check", "live", "silo");
            var sessions = await api.GetAsync(api.ProjectPath("sessions"), ct);
            Tables.Rows("sessions", sessions["sessions"]?.AsArray() ?? [], "name", "model_id", "doc_count", "durability", "latest_version", "live", "silo");
            var unreachable = new[] { nodes, indexes, sessions }
                .SelectMany(answer => answer["unreachable_silos"]?.AsArray().Select(s => (string?)s) ?? [])
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (unreachable.Count > 0)
            {
                Terminal.Line($"not answering (entries shown from the registry): {string.Join(", ", unreachable)}");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
