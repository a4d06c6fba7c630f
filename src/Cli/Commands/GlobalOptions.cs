using System.CommandLine;
using MossGrains.Cli.Api;
using MossGrains.Grains.Naming;

namespace MossGrains.Cli.Commands;

/// <summary>The options every command takes: which server, which project, which key (each also from the environment).</summary>
public sealed class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public Option<string> Url { get; } = new("--url")
    {
        Description = $"The server's HTTP address [env MOSS_URL]",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MOSS_URL") is { Length: > 0 } url ? url : DefaultUrl,
    };

    public Option<string> Project { get; } = new("--project")
    {
        Description = "The project [env MOSS_PROJECT]",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MOSS_PROJECT") is { Length: > 0 } project ? project : IndexKey.DefaultProject,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "The project's key, sent as X-Moss-Key [env MOSS_KEY; none by default]",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MOSS_KEY") is { Length: > 0 } key ? key : null,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Project);
        command.Options.Add(Key);
    }

    /// <summary>The API at <c>--url</c> for <c>--project</c> with <c>--key</c>; a malformed URL is a usage error.</summary>
    public MossApi Api(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string url = parse.GetValue(Url)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--url '{url}' is not an http:// or https:// address");
        }

        return new MossApi(uri, parse.GetValue(Project)!, parse.GetValue(Key));
    }
}
