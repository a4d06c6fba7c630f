using System.Reflection;

namespace MossGrains.Silo.WebConsole;

/// <summary>
/// The web console: one static page (HTML, CSS, plain JS) embedded in this assembly, served at <c>/</c> without a key.
/// The page holds no data; its calls to the HTTP API carry the project key the user enters.
/// Embedded rather than wwwroot so it is served wherever the silo is hosted (its own process or another host's).
/// </summary>
public static class MossConsoleExtensions
{
    /// <summary>Where the page's script and style sheet are served.</summary>
    public const string AssetsPath = "/console";

    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        (AssetsPath + "/console.js", "console.js", "text/javascript; charset=utf-8"),
        (AssetsPath + "/console.css", "console.css", "text/css; charset=utf-8"),
    ];

    // Everything the page needs comes from the silo itself: the policy keeps a mistake from reaching out elsewhere.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>Maps the console page and its assets (GET and HEAD, no key).</summary>
    public static IEndpointRouteBuilder MapMossConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var assembly = typeof(MossConsoleExtensions).Assembly;
        foreach (var (path, resource, contentType) in Files)
        {
            byte[] content = Read(assembly, resource);
            endpoints.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
            {
                var headers = context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Results.Bytes(content, contentType);
            }).ExcludeFromDescription().AllowAnonymous();
        }

        return endpoints;
    }

    private static byte[] Read(Assembly assembly, string file)
    {
        string name = "MossGrains.Silo.WebConsole.Assets." + file;
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The console asset '{name}' is not embedded in {assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
