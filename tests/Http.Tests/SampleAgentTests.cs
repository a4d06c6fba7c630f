using System.Diagnostics;
using MossGrains.Testing;

namespace MossGrains.Http.Tests;

/// <summary>The agents under <c>samples/</c> that use only a language's standard library, run against the silo as a user would run them.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class SampleAgentTests(HttpSiloFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private async Task<string[]> RunAsync(string program, string script)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = TestPaths.RepositoryRoot };
        foreach (string argument in new[] { script, "--url", fixture.Silo.HttpBase.ToString(), "--project", "acme", "--key", HttpSiloFixture.AcmeKey })
        {
            start.ArgumentList.Add(argument);
        }

        await using var agent = ChildProcess.Start(start, Path.GetFileName(script));
        await agent.Exited.WaitAsync(Patience);
        string[] output = agent.Lines;
        Assert.True(agent.ExitCode == 0, $"{script} exited {agent.ExitCode}:\n{string.Join('\n', output)}");
        return output;
    }

    [Fact]
    public async Task The_python_standard_library_agent_runs_a_session_a_job_and_a_loaded_index()
    {
        var output = await RunAsync("python3", "samples/python/moss_agent.py");
        Assert.Contains("python agent: ok", output);
        Assert.Contains(output, l => l.Contains(": completed, 3 docs in version 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_node_fetch_agent_runs_a_session_a_job_and_a_loaded_index()
    {
        var output = await RunAsync("node", "samples/node/moss-agent.mjs");
        Assert.Contains("node agent: ok", output);
        Assert.Contains(output, l => l.Contains(": completed, 3 docs in version 1", StringComparison.Ordinal));
    }
}
