using System.CommandLine;
using MossGrains.Cli;
using MossGrains.Cli.Commands;
using MossGrains.Cli.Output;

// `moss`: the MossGrains command line, over the HTTP API (docs/cli.md).
var global = new GlobalOptions();
var root = new RootCommand($"moss: the MossGrains command line, over the HTTP API (docs/http.md, docs/cli.md). {ExitCodes.HelpText}")
{
    ServeCommand.Create(global),
    IndexCommand.Create(global),
    QueryCommand.Create(global),
    PushCommand.Create(global),
    LoadCommand.Create(global),
    JobsCommand.Create(global),
    StatusCommand.Create(global),
};
global.AddTo(root);

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Terminal.Fail(error.Message);
    }

    Terminal.Message("Run 'moss --help' (or 'moss <command> --help') for usage.");
    return ExitCodes.Usage;
}

// Ctrl+C and SIGTERM cancel the command's token; `moss serve` needs time to flush sessions and leave the cluster.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(90) });
