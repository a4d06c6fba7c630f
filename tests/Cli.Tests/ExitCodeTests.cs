using MossGrains.Testing;

namespace MossGrains.Cli.Tests;

/// <summary>The exit codes docs/cli.md promises: 2 usage, 3 cannot connect, 4 not authorized.</summary>
[Collection(CliSiloGroup.Name)]
public sealed class ExitCodeTests(CliSiloFixture fixture)
{
    [Fact]
    public async Task A_wrong_key_no_key_and_another_projects_path_exit_with_the_auth_code()
    {
        var wrong = await Moss.RunAsync(["query", "faq", "refund"], fixture.Environment("not-the-key"));
        Assert.Equal(4, wrong.ExitCode);
        Assert.Contains(wrong.Lines, l => l.Contains("401", StringComparison.Ordinal) && l.Contains("--key", StringComparison.Ordinal));

        var none = await Moss.RunAsync(["load", "faq"], fixture.Environment(key: null));
        Assert.Equal(4, none.ExitCode);

        var other = await Moss.RunAsync(["load", "faq", "--project", "globex"], fixture.Environment());
        Assert.Equal(4, other.ExitCode);
        Assert.Contains(other.Lines, l => l.Contains("403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_server_at_the_url_exits_with_the_connect_code()
    {
        string url = $"http://127.0.0.1:{FreePort.OnLoopback()}";
        var run = await Moss.RunAsync(["query", "faq", "refund", "--url", url]);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains(run.Lines, l => l.Contains("cannot connect", StringComparison.Ordinal) && l.Contains(url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_command_line_exits_with_the_usage_code_and_help_lists_the_exit_codes()
    {
        var missing = await Moss.RunAsync(["query", "faq"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains(missing.Lines, l => l.Contains("text", StringComparison.Ordinal) && l.StartsWith("error:", StringComparison.Ordinal));

        var noName = await Moss.RunAsync(["index", "docs.jsonl"]);
        Assert.Equal(2, noName.ExitCode);
        Assert.Contains(noName.Lines, l => l.Contains("--name", StringComparison.Ordinal));

        var badUrl = await Moss.RunAsync(["status", "--url", "not a url"]);
        Assert.Equal(2, badUrl.ExitCode);

        var help = await Moss.RunAsync(["--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("3 cannot connect, 4 not authorized (401/403), 5 not found (404)", help.Output, StringComparison.Ordinal);
    }
}
