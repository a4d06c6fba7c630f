using System.CommandLine;
using System.Text.Json.Nodes;
using MossGrains.Cli.Api;
using MossGrains.Cli.Output;
using MossGrains.Grains.Jobs;
using Spectre.Console;

namespace MossGrains.Cli.Commands;

/// <summary><c>moss jobs [--watch] [--limit N]</c>: the project's recent jobs, newest first.</summary>
public static class JobsCommand
{
    private static readonly string[] Columns = ["job_id", "index", "kind", "status", "phase", "progress", "version", "doc_count", "updated_at", "error"];

    public static Command Create(GlobalOptions global)
    {
        var watch = new Option<bool>("--watch", "-w") { Description = "Refresh every second until no job is running (or Ctrl+C)" };
        var limit = new Option<int>("--limit") { Description = "How many recent jobs", DefaultValueFactory = _ => 50 };
        var command = new Command("jobs", "List the project's recent jobs with status, phase and progress") { watch, limit };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            using var api = global.Api(parse);
            string path = api.ProjectPath($"jobs?limit={parse.GetValue(limit)}");
            if (!parse.GetValue(watch))
            {
                Terminal.Out.Write(Build(await ReadAsync(api, path, ct)));
                return ExitCodes.Ok;
            }

            try
            {
                await WatchAsync(api, path, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C is how a watch ends.
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static async Task WatchAsync(MossApi api, string path, CancellationToken cancellationToken)
    {
        var jobs = await ReadAsync(api, path, cancellationToken);
        if (Console.IsOutputRedirected)
        {
            // No terminal to redraw: print the table whenever it changes, once more when nothing runs.
            string shown = string.Empty;
            while (true)
            {
                string now = new JsonArray([.. jobs.Select(j => j?.DeepClone())]).ToJsonString();
                if (now != shown)
                {
                    Terminal.Out.Write(Build(jobs));
                    shown = now;
                }

                if (!AnyRunning(jobs))
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken);
                jobs = await ReadAsync(api, path, cancellationToken);
            }
        }

        await Terminal.Out.Live(Build(jobs)).StartAsync(async live =>
        {
            while (AnyRunning(jobs))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken);
                jobs = await ReadAsync(api, path, cancellationToken);
                live.UpdateTarget(Build(jobs));
            }
        });
    }

    private static async Task<List<JsonNode?>> ReadAsync(MossApi api, string path, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync(path, cancellationToken);
        return [.. answer["jobs"]?.AsArray() ?? []];
    }

    private static bool AnyRunning(IEnumerable<JsonNode?> jobs) => jobs.Any(j => JobStatusNames.IsUnderWay((string?)j?["status"]));

    private static Table Build(IEnumerable<JsonNode?> jobs) =>
        Tables.Build("jobs", jobs.Select(j =>
        {
            var row = j?.DeepClone() ?? new JsonObject();
            row["progress"] = $"{(int?)j?["processed"] ?? 0}/{(int?)j?["total"] ?? 0}";
            return (JsonNode?)row;
        }), Columns);
}
