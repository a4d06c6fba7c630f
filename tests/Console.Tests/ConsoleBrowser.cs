using System.Collections.Concurrent;
using Microsoft.Playwright;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Console.Tests;

/// <summary>
/// Debian's chromium (never a downloaded browser) in a fresh profile, driven by Playwright, with one page open on the
/// console. Every request is routed through a guard: one that would leave 127.0.0.1 is aborted and fails the test when
/// the browser closes. Disposing takes a screenshot (kept under the test results), then closes the browser and deletes
/// the profile, whether the test passed or not.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly DirectoryInfo _profile;
    private readonly string _name;
    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<string> _outside = new();

    private ConsoleBrowser(IPlaywright playwright, IBrowserContext context, IPage page, DirectoryInfo profile, string name, ITestOutputHelper output)
    {
        _playwright = playwright;
        _context = context;
        Page = page;
        _profile = profile;
        _name = name;
        _output = output;
    }

    public IPage Page { get; }

    /// <summary>
    /// Opens chromium on <paramref name="silo"/>'s console at <paramref name="view"/> (<c>#nodes</c>…); with
    /// <paramref name="basicPassword"/> the browser answers the silo's HTTP Basic challenge (the dashboard's operator key) with it.
    /// </summary>
    public static async Task<ConsoleBrowser> OpenAsync(SiloProcess silo, string view, string testName, ITestOutputHelper output, string? basicPassword = null)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run eng/test-setup.d/40-chromium.sh (apt-get install chromium).");
        Assertions.SetDefaultExpectTimeout(20_000);
        var profile = Directory.CreateTempSubdirectory("moss-console-chromium-");
        var playwright = await Playwright.CreateAsync();
        IBrowserContext? context = null;
        try
        {
            context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
                HttpCredentials = basicPassword is null ? null : new HttpCredentials
                {
                    Username = "operator",
                    Password = basicPassword,
                    Origin = silo.HttpBase.GetLeftPart(UriPartial.Authority),
                },
            });
            context.SetDefaultTimeout(30_000);
            var browser = new ConsoleBrowser(playwright, context, context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync(), profile, testName, output);
            await context.RouteAsync("**/*", browser.GuardAsync);
            await browser.Page.GotoAsync(new Uri(silo.HttpBase, "/" + view).ToString());
            return browser;
        }
        catch
        {
            if (context is not null)
            {
                await context.CloseAsync();
            }

            playwright.Dispose();
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Enters a project and a key in the page's form, as a user does (the page keeps them in localStorage).</summary>
    public async Task UseAsync(string project, string key)
    {
        await Page.GetByLabel("Project", new() { Exact = true }).FillAsync(project);
        await Page.GetByLabel("Key", new() { Exact = true }).FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Use", Exact = true }).ClickAsync();
    }

    /// <summary>The row of a list view's table whose key (name, id, address) is <paramref name="key"/>.</summary>
    public ILocator Row(string view, string key) => Page.Locator($"#{view}-rows tr[data-key='{key}']");

    public static ILocator Cell(ILocator row, string field) => row.Locator($"td[data-field='{field}']");

    public async ValueTask DisposeAsync()
    {
        try
        {
            string folder = Path.Combine(TestPaths.NativeDirectory, "test-results", "screenshots");
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, _name + ".png");
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            _output.WriteLine($"screenshot: {path}");
        }
        finally
        {
            await _context.CloseAsync();
            _playwright.Dispose();
            _profile.Delete(recursive: true);
        }

        Assert.True(_outside.IsEmpty, "requests that would have left 127.0.0.1: " + string.Join(", ", _outside));
    }

    private async Task GuardAsync(IRoute route)
    {
        var url = new Uri(route.Request.Url);
        if (url.Host == "127.0.0.1")
        {
            await route.ContinueAsync();
            return;
        }

        _outside.Enqueue(route.Request.Url);
        await route.AbortAsync("blockedbyclient");
    }
}
