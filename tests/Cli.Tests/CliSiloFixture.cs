using System.Globalization;
using MossGrains.Testing;

namespace MossGrains.Cli.Tests;

/// <summary>
/// One single-node silo process whose HTTP API has project <c>cli</c> with a key, and a small body limit so that
/// <c>moss index</c> has to split its documents into several jobs.
/// </summary>
public sealed class CliSiloFixture : IAsyncLifetime
{
    public const string Project = "cli";
    public const string Key = "cli-secret-key";
    public const int MaxBodyBytes = 64 * 1024;

    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    /// <summary>MOSS_URL, MOSS_PROJECT and MOSS_KEY for this silo and project (the key replaced when given).</summary>
    public Dictionary<string, string> Environment(string? key = Key)
    {
        var environment = new Dictionary<string, string>
        {
            ["MOSS_URL"] = Silo.HttpBase.ToString(),
            ["MOSS_PROJECT"] = Project,
        };
        if (key is not null)
        {
            environment["MOSS_KEY"] = key;
        }

        return environment;
    }

    public Task<MossRun> RunAsync(params string[] args) => Moss.RunAsync(args, Environment());

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = Silo.HttpBase, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Moss-Key", Key);
        return client;
    }

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartLocalhostAsync("cli", new Dictionary<string, string>
        {
            [$"Moss:Http:Projects:{Project}:Keys:0"] = Key,
            ["Moss:Http:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CliSiloGroup : ICollectionFixture<CliSiloFixture>
{
    public const string Name = "cli silo";
}
