using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using System.Text.Json.Nodes;
using MossGrains.Cli.Api;
using MossGrains.Cli.Indexing;
using MossGrains.Cli.Input;
using MossGrains.Cli.Output;
using Spectre.Console;
using MossGrains.Cli.Serving;
using MossGrains.Grains.Naming;
using MossGrains.Silo.Http;

namespace MossGrains.Cli.Commands;

/// <summary>
/// <c>moss serve [--port] [--data] [--sample folder]</c>: a single-node server in this process; with a sample, indexes it
/// through a job (unless it is stored already), loads it and prints how to query it. Ctrl+C or SIGTERM stops it (exit 0).
/// </summary>
public static class ServeCommand
{
    public static Command Create(GlobalOptions global)
    {
        var port = new Option<int>("--port") { Description = "HTTP port on 127.0.0.1", DefaultValueFactory = _ => 8080 };
        var data = new Option<string>("--data") { Description = "Data folder: index binaries, grain state and reminders", DefaultValueFactory = _ => "moss-data" };
        var sample = new Option<string?>("--sample") { Description = "A folder holding a BEIR corpus.jsonl to index (once) and load, named after the folder" };
        var command = new Command("serve", "Run a single-node server on the embedded defaults (Localhost clustering, local folder store) until Ctrl+C") { port, data, sample };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            int httpPort = parse.GetValue(port);
            if (httpPort is < 1 or > 65535)
            {
                throw new UsageException($"--port {httpPort} must be a TCP port (1 to 65535)");
            }

            var corpus = parse.GetValue(sample) is { } folder ? SampleCorpus.From(folder) : null;
            string dataFolder = Path.GetFullPath(parse.GetValue(data)!);
            return await ServeAsync(httpPort, dataFolder, corpus, parse.GetValue(global.Project)!, parse.GetValue(global.Key), ct);
        }, cancellationToken));
        return command;
    }

    private static async Task<int> ServeAsync(int port, string dataFolder, SampleCorpus? corpus, string project, string? key, CancellationToken cancellationToken)
    {
        await using var app = SingleNodeServer.Build(port, dataFolder);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new MossApiException(ExitCodes.ServerError, $"the server could not start on port {port}: {e.Message} (another server running? choose --port)", e);
        }

        // Ctrl+C / SIGTERM reach both System.CommandLine (this token) and the host (ApplicationStopping): either stops.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        var url = new Uri($"http://127.0.0.1:{port}/");
        try
        {
            if (corpus is not null)
            {
                using var api = new MossApi(url, project, key);
                long maxBodyBytes = app.Services.GetRequiredService<IOptions<MossHttpOptions>>().Value.MaxRequestBodyBytes;
                await ServeSampleAsync(api, corpus, maxBodyBytes, stopping.Token);
                PrintSampleBanner(url, project, corpus, dataFolder);
            }
            else
            {
                PrintBanner(url, dataFolder);
            }

            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Asked to stop.
        }
        finally
        {
            // Also when the sample could not be served (its error is reported by the caller): never leave the silo half up.
            Terminal.Message("stopping…");
            await app.StopAsync(CancellationToken.None);
        }

        Terminal.Message("moss serve stopped");
        return ExitCodes.Ok;
    }

    /// <summary>Loads the sample index; if it was never stored, indexes the corpus through jobs first.</summary>
    private static async Task ServeSampleAsync(MossApi api, SampleCorpus corpus, long maxBodyBytes, CancellationToken cancellationToken)
    {
        string loadPath = api.ProjectPath($"indexes/{Uri.EscapeDataString(corpus.IndexName)}/load");
        try
        {
            var info = await api.PostAsync(loadPath, new JsonObject(), cancellationToken);
            Terminal.Message($"loaded the stored index {corpus.IndexName}: {(int?)info["doc_count"]:N0} docs, version {(string?)info["version"]}");
            return;
        }
        catch (MossApiException e) when (e.ExitCode == ExitCodes.NotFound)
        {
            Terminal.Message($"{corpus.IndexName} is not stored yet: indexing {corpus.CorpusFile}");
        }

        var docs = await DocumentReader.ReadJsonLinesAsync(corpus.CorpusFile, cancellationToken);
        var batches = IndexPlan.Batches(docs, IndexCommand.DefaultBatch, maxBodyBytes);
        var result = await IndexProgress.ShowAsync(corpus.IndexName, progress =>
            new Indexer(api, TimeProvider.System).RunAsync(corpus.IndexName, batches, null, progress, cancellationToken));
        IndexCommand.PrintSummary(result);
        await api.PostAsync(loadPath, new JsonObject(), cancellationToken);
    }

    private static void PrintBanner(Uri url, string dataFolder)
    {
        Terminal.Line($"MossGrains is running: one node, index binaries in {dataFolder}");
        Terminal.Line($"  console:  {url}");
        Terminal.Line($"  API:      {url}v1/projects/{{project}}/… (docs/http.md)");
        Terminal.Line($"  index:    {MossCommand()} index docs.jsonl --name my-index --url {url.ToString().TrimEnd('/')}");
        Terminal.Line("Press Ctrl+C to stop.");
    }

    private static void PrintSampleBanner(Uri url, string project, SampleCorpus corpus, string dataFolder)
    {
        string query = corpus.ExampleQuery();
        string body = new JsonObject { ["query"] = query, ["top_k"] = 5 }.ToJsonString();
        string queryUrl = $"{url}v1/projects/{Uri.EscapeDataString(project)}/indexes/{corpus.IndexName}/query";
        string urlOption = url.Port == 8080 ? string.Empty : $" --url {url.ToString().TrimEnd('/')}";
        string projectOption = project == IndexKey.DefaultProject ? string.Empty : $" --project {project}";
        Terminal.Line($"MossGrains is running: one node, index binaries in {dataFolder}, sample index {corpus.IndexName} loaded");
        Terminal.Line($"  console:  {url}");
        Terminal.Line($"  curl:     curl -s -X POST {queryUrl} -H 'Content-Type: application/json' -d '{body.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        Terminal.Line($"  moss:     moss query {corpus.IndexName} {DoubleQuoted(query)}{urlOption}{projectOption}");
        Terminal.Line($"            (moss here is {MossCommand()})");
        Terminal.Line("Press Ctrl+C to stop.");
    }

    /// <summary>How this very CLI was started: <c>dotnet …/moss.dll</c> or the <c>moss</c> executable.</summary>
    private static string MossCommand()
    {
        string? process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"dotnet {Path.Combine(AppContext.BaseDirectory, "moss.dll")}"
            : process ?? "moss";
    }

    private static string DoubleQuoted(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("$", "\\$", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "\"";
}
