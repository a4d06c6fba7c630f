using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using MossGrains.Testing;

namespace MossGrains.Http.Tests;

/// <summary>
/// One single-node silo whose HTTP API has two projects: <c>acme</c> with a plain key (hashed by the silo at start) and
/// <c>globex</c> with a key given only as its SHA-256 hash, and an operator key for the dashboard; request bodies are limited to <see cref="MaxBodyBytes"/>.
/// One folder-backed model is named by configuration: <see cref="NamedModel"/>, the test set-up's tiny ONNX model.
/// </summary>
public sealed class HttpSiloFixture : IAsyncLifetime
{
    public const string AcmeKey = "acme-secret-key";
    public const string GlobexKey = "globex-secret-key";
    public const string OperatorKey = "operator-secret-key";
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The name <c>Moss:Models</c> gives the generated tiny-bert ONNX folder (eng/test-setup.d/31-onnx-test-assets.sh).</summary>
    public const string NamedModel = "tiny-onnx";

    /// <summary>The folder behind <see cref="NamedModel"/>: a complete, loadable ONNX model.</summary>
    public static string NamedModelFolder => Path.Combine(TestPaths.NativeDirectory, "models", "tiny-bert");

    private readonly List<HttpClient> _clients = [];
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public async Task InitializeAsync()
    {
        _silo = await SiloProcess.StartLocalhostAsync("http", new Dictionary<string, string>
        {
            ["Moss:Http:Projects:acme:Keys:0"] = AcmeKey,
            ["Moss:Http:Projects:globex:KeyHashes:0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(GlobexKey))),
            ["Moss:Http:OperatorKeys:0"] = OperatorKey,
            ["Moss:Http:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture),
            [$"Moss:Models:{NamedModel}:Kind"] = "onnx",
            [$"Moss:Models:{NamedModel}:Folder"] = NamedModelFolder,
        });
    }

    /// <summary>A client sending <paramref name="key"/> (none when null) as <c>X-Moss-Key</c>, or as a bearer token.</summary>
    public HttpClient Client(string? key, bool bearer = false)
    {
        var client = new HttpClient { BaseAddress = Silo.HttpBase, Timeout = TimeSpan.FromSeconds(120) };
        if (key is not null && bearer)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Moss-Key", key);
        }

        _clients.Add(client);
        return client;
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class HttpSiloGroup : ICollectionFixture<HttpSiloFixture>
{
    public const string Name = "http silo";
}
