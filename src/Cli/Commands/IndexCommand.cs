using System.CommandLine;
using MossGrains.Cli.Indexing;
using MossGrains.Cli.Input;
using MossGrains.Cli.Output;
using MossGrains.Silo.Http;
using Spectre.Console;

namespace MossGrains.Cli.Commands;

/// <summary><c>moss index &lt;file.jsonl|folder&gt; --name X [--model] [--batch N]</c>: builds or extends an index through add-docs jobs.</summary>
public static class IndexCommand
{
    public const int DefaultBatch = 10_000;

    public static Command Create(GlobalOptions global)
    {
        var input = new Argument<string>("input") { Description = "A .jsonl file ({\"id\",\"text\",\"metadata\"} or BEIR {\"_id\",\"title\",\"text\"} per line) or a folder of .txt/.md files (id = relative path)" };
        var name = new Option<string>("--name", "-n") { Description = "The index to build or extend", Required = true };
        var model = new Option<string?>("--model") { Description = "The model of a new index (e.g. moss-default); default: the server's" };
        var batch = new Option<int>("--batch") { Description = "Most documents per job", DefaultValueFactory = _ => DefaultBatch };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body to send: the server's Moss:Http:MaxRequestBodyBytes", DefaultValueFactory = _ => MossHttpOptions.DefaultMaxRequestBodyBytes };
        var command = new Command("index", "Add documents to an index through jobs, with a progress bar, then print a summary") { input, name, model, batch, maxBody };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            int batchSize = parse.GetValue(batch);
            long maxBodyBytes = parse.GetValue(maxBody);
            if (batchSize < 1)
            {
                throw new UsageException($"--batch {batchSize} must be at least 1");
            }

            if (maxBodyBytes < 4096)
            {
                throw new UsageException($"--max-body-bytes {maxBodyBytes} must be at least 4096");
            }

            var docs = await DocumentReader.ReadAsync(parse.GetValue(input)!, ct);
            var batches = IndexPlan.Batches(docs, batchSize, maxBodyBytes);
            using var api = global.Api(parse);
            string index = parse.GetValue(name)!;
            var result = await IndexProgress.ShowAsync(index, progress =>
                new Indexer(api, TimeProvider.System).RunAsync(index, batches, parse.GetValue(model), progress, ct));
            PrintSummary(result);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    public static void PrintSummary(IndexResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Terminal.Line(
            $"indexed {result.Docs:N0} docs into {result.Index} in {result.Elapsed.TotalSeconds:0.0} s ({result.Jobs} job{(result.Jobs == 1 ? "" : "s")}): version {result.Version}, doc_count {result.DocCount:N0}");
    }
}
