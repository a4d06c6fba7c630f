using System.Diagnostics;

namespace MossGrains.Testing;

/// <summary>
/// A throw-away Azurite (npm <c>azurite</c>, installed by eng/test-setup.d) on free loopback ports with its data in a
/// temporary folder: blob and table services, as the cluster uses them. Disposing stops it and deletes its data.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string AccountName = "devstoreaccount1";

    // Azurite's well-known development account key (public, documented; accepted only by the emulator).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;
    private readonly string _location;

    private Azurite(ChildProcess process, string location, int blobPort, int tablePort)
    {
        _process = process;
        _location = location;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";
    }

    /// <summary>A connection string for the emulator's account: what a silo or client takes in place of a real account's.</summary>
    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync()
    {
        string script = Path.Combine(TestPaths.NativeDirectory, "npm", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException("Azurite is not installed: run the tests through ./eng/test.sh (eng/test-setup.d installs it).", script);
        }

        string location = Directory.CreateTempSubdirectory("moss-azurite-").FullName;
        int blobPort = FreePort.OnLoopback(), queuePort = FreePort.OnLoopback(), tablePort = FreePort.OnLoopback();
        var start = new ProcessStartInfo("node");
        foreach (string argument in new[]
        {
            script, "--blobHost", "127.0.0.1", "--blobPort", $"{blobPort}", "--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}", "--location", location, "--skipApiVersionCheck", "--silent",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = ChildProcess.Start(start, "azurite");
        var azurite = new Azurite(process, location, blobPort, tablePort);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("Table service is successfully listening", StringComparison.Ordinal), StartTimeout);
            await process.WaitForLineAsync(l => l.Contains("Blob service is successfully listening", StringComparison.Ordinal), StartTimeout);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A file still being closed by the dying process; the temp folder is reclaimed by the OS.
        }
    }
}
