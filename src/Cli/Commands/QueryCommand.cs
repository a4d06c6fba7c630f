using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using MossGrains.Cli.Output;
using Spectre.Console;

namespace MossGrains.Cli.Commands;

/// <summary><c>moss query &lt;index&gt; "text" [--top-k] [--alpha] [--filter json] [--session] [--json]</c>.</summary>
public static class QueryCommand
{
    public static Command Create(GlobalOptions global)
    {
        var index = new Argument<string>("index") { Description = "The loaded index to query (a session with --session)" };
        var text = new Argument<string>("text") { Description = "The query" };
        var topK = new Option<int?>("--top-k", "-k") { Description = "How many results (server default 5)" };
        var alpha = new Option<float?>("--alpha", "-a") { Description = "1 = semantic only, 0 = keyword only (server default: the model's)" };
        var filter = new Option<string?>("--filter", "-f") { Description = "Moss's filter JSON, e.g. '{\"field\":\"lang\",\"condition\":{\"$eq\":\"en\"}}'" };
        var session = new Option<bool>("--session") { Description = "Query the session named <index> instead of a loaded index" };
        var json = new Option<bool>("--json") { Description = "Print the server's JSON answer instead of a table" };
        var command = new Command("query", "Query a loaded index (or a session) and print the ranked results") { index, text, topK, alpha, filter, session, json };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            var body = new JsonObject { ["query"] = parse.GetValue(text) };
            if (parse.GetValue(topK) is { } k)
            {
                body["top_k"] = k;
            }

            if (parse.GetValue(alpha) is { } a)
            {
                body["alpha"] = a;
            }

            if (parse.GetValue(filter) is { } f)
            {
                try
                {
                    body["filter"] = JsonNode.Parse(f);
                }
                catch (JsonException e)
                {
                    throw new UsageException($"--filter is not valid JSON: {e.Message}");
                }
            }

            using var api = global.Api(parse);
            string name = Uri.EscapeDataString(parse.GetValue(index)!);
            string path = api.ProjectPath(parse.GetValue(session) ? $"sessions/{name}/query" : $"indexes/{name}/query");
            if (parse.GetValue(json))
            {
                Terminal.Line(await api.SendForTextAsync(HttpMethod.Post, path, body.ToJsonString(), ct));
            }
            else
            {
                Tables.QueryResult(await api.PostAsync(path, body, ct));
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
