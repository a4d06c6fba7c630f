using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Configuration;
using MossGrains.Silo.Hosting;

namespace MossGrains.Http.Tests;

/// <summary>
/// Every endpoint the silo maps — read from the application's own <see cref="EndpointDataSource"/>, so a new endpoint is
/// covered without editing this test — tried at a real keyed silo process in every spelling the router accepts (case
/// variants of each literal segment, <c>/./</c>, <c>//</c>, a trailing slash, percent-encoded letters, <c>..</c> that
/// resolves back), with no key, nobody's key and another project's key: 401, 403, 404 or 405, never a 2xx, never a 500.
/// </summary>
[Collection(HttpSiloGroup.Name)]
public sealed class EveryDoorTests(HttpSiloFixture silo)
{
    /// <summary>What anyone may open: the console page and assets, health, metrics and the OpenAPI document (they hold no project data).</summary>
    private static readonly string[] Public = ["/", "/console/console.js", "/console/console.css", "/health", "/metrics", "/openapi/{documentName}.json"];

    [Fact]
    public async Task No_endpoint_opens_to_a_wrong_key_in_any_spelling()
    {
        var doors = await DoorsAsync();
        Assert.Contains(doors, d => d.Template.StartsWith("/v1/projects/{project}/", StringComparison.Ordinal));
        Assert.Contains(doors, d => d.Template.StartsWith("/dashboard", StringComparison.Ordinal));
        Assert.Equal(Public.Order(), doors.Where(d => d.Anonymous).Select(d => d.Template).Distinct().Order());

        var failures = new List<string>();
        int tried = 0;
        foreach (var door in doors.Where(d => !d.Anonymous))
        {
            var wrongKeys = new List<(string Who, Dictionary<string, string> Headers)>
            {
                ("no key", []),
                ("nobody's key", new() { ["X-Moss-Key"] = "nobody's key" }),
                ("another project's key", new() { ["X-Moss-Key"] = HttpSiloFixture.GlobexKey }),
                ("another project's bearer key", new() { ["Authorization"] = "Bearer " + HttpSiloFixture.GlobexKey }),
            };
            if (!door.IsProjectRoute)
            {
                wrongKeys.Add(("a project's key", new() { ["X-Moss-Key"] = HttpSiloFixture.AcmeKey }));
                wrongKeys.Add(("a project's key as Basic password", new() { ["Authorization"] = "Basic " + Convert.ToBase64String("ops:"u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(HttpSiloFixture.AcmeKey)).ToArray()) }));
            }

            foreach (string target in Spellings(door.Segments))
            {
                foreach (var (who, headers) in wrongKeys)
                {
                    var answer = await RawHttp.SendAsync(silo.Silo.HttpBase, door.Method, target, headers, door.Body);
                    tried++;
                    if (answer.Status is not (401 or 403 or 404 or 405))
                    {
                        failures.Add($"{door.Method} {target} with {who}: {answer.Status}");
                    }
                }
            }

            // The project segment is matched as written: acme's key does not open ACME.
            if (door.IsProjectRoute)
            {
                string other = Target(door.Segments.Select(s => s.Text == "acme" && !s.Literal ? "ACME" : s.Text));
                var answer = await RawHttp.SendAsync(silo.Silo.HttpBase, door.Method, other, new Dictionary<string, string> { ["X-Moss-Key"] = HttpSiloFixture.AcmeKey }, door.Body);
                tried++;
                if (answer.Status is not (401 or 403 or 404 or 405))
                {
                    failures.Add($"{door.Method} {other} with acme's key: {answer.Status}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} requests got through:\n{string.Join('\n', failures.Take(50))}");
    }

    [Fact]
    public async Task The_right_key_opens_each_door_in_another_case()
    {
        // The test above would pass against a server that refuses everything: each door must open to its own key,
        // also when spelt in capitals (the router matches literals case-insensitively).
        var failures = new List<string>();
        foreach (var door in (await DoorsAsync()).Where(d => !d.Anonymous))
        {
            var headers = new Dictionary<string, string> { ["X-Moss-Key"] = door.IsProjectRoute ? HttpSiloFixture.AcmeKey : HttpSiloFixture.OperatorKey };
            foreach (string target in new[] { Target(door.Segments), Target(door.Segments.Select(Upper)) })
            {
                var answer = await RawHttp.SendAsync(silo.Silo.HttpBase, door.Method, target, headers, door.Body);
                // A 404 of the endpoint itself (no such index yet) explains itself; routing's 404 has no detail.
                // (The dashboard's file routes answer 404 for a sample file name: for them only 401, 403 and 405 tell.)
                bool routed = answer.Status != 404 || answer.Body.Contains("\"detail\"", StringComparison.Ordinal) || !door.IsProjectRoute;
                // The dashboard's per-silo views answer 500 for a sample silo address that is not one (Orleans Dashboard's own handling).
                bool failed = answer.Status >= 500 && door.IsProjectRoute;
                if (answer.Status is 401 or 403 or 405 || !routed || failed)
                {
                    failures.Add($"{door.Method} {target}: {answer.Status} {answer.Body[..Math.Min(200, answer.Body.Length)]}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The target as the router would match it, in every spelling that resolves to the same endpoint.</summary>
    private static IEnumerable<string> Spellings(IReadOnlyList<Segment> segments)
    {
        yield return Target(segments);
        yield return Target(segments.Select(Upper));
        yield return Target(segments.Select(Capitalized));
        for (int i = 0; i < segments.Count; i++)
        {
            if (segments[i].Literal)
            {
                yield return Target(segments.Select((s, j) => j == i ? Upper(s) : s.Text));
            }
        }

        yield return Target(segments.Select(PercentEncodedFirstLetter));
        yield return Target(segments) + "/";
        yield return "/." + Target(segments);
        yield return Target(segments.Take(1)) + "/." + Target(segments.Skip(1));
        yield return "/" + Target(segments);
        yield return Target(segments.Take(1)) + "/" + Target(segments.Skip(1));
        yield return Target(segments.Take(1)) + "/decoy/.." + Target(segments.Skip(1));
        yield return "/decoy/.." + Target(segments.Select(Upper));
        yield return Target(segments.Take(1)) + "/%2e" + Target(segments.Skip(1));
    }

    private static string Target(IEnumerable<string> segments) => "/" + string.Join('/', segments);

    private static string Target(IEnumerable<Segment> segments) => Target(segments.Select(s => s.Text));

    private static string Upper(Segment segment) => segment.Literal ? segment.Text.ToUpperInvariant() : segment.Text;

    private static string Capitalized(Segment segment) => segment.Literal && segment.Text.Length > 0 ? char.ToUpperInvariant(segment.Text[0]) + segment.Text[1..] : segment.Text;

    private static string PercentEncodedFirstLetter(Segment segment)
    {
        string text = segment.Text;
        int letter = text.IndexOf(text.FirstOrDefault(char.IsAsciiLetter));
        if (!segment.Literal || letter < 0 || !char.IsAsciiLetter(text[letter]))
        {
            return text;
        }

        return text[..letter] + "%" + ((int)text[letter]).ToString("X2", CultureInfo.InvariantCulture) + text[(letter + 1)..];
    }

    /// <summary>An endpoint and one of its methods; each path segment with whether it is a literal of the route (else a parameter's sample value).</summary>
    private sealed record Door(string Template, string Method, IReadOnlyList<Segment> Segments, bool Anonymous, bool IsProjectRoute, string? Body);

    private sealed record Segment(string Text, bool Literal);

    /// <summary>The endpoints of the silo application as <c>MapMossSilo</c> maps them, configured as the fixture's silo is.</summary>
    private static async Task<List<Door>> DoorsAsync()
    {
        var folder = Directory.CreateTempSubdirectory("moss-doors-");
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = folder.FullName });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Moss:Silo:IndexFolder"] = Path.Combine(folder.FullName, "indexes"),
                ["Moss:Http:Projects:acme:Keys:0"] = HttpSiloFixture.AcmeKey,
                ["Moss:Http:OperatorKeys:0"] = HttpSiloFixture.OperatorKey,
            });
            builder.UseMossSilo();
            await using var app = builder.Build();
            app.MapMossSilo();
            var doors = new List<Door>();
            foreach (var endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
            {
                string template = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
                bool anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var segments = endpoint.RoutePattern.PathSegments.Select(s => new Segment(Sample(s), s.IsSimple && s.Parts[0].IsLiteral)).ToList();
                var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get];
                foreach (string method in methods.Where(m => m != HttpMethods.Head))
                {
                    string? body = method is "POST" or "PUT" or "PATCH" ? "{}" : null;
                    doors.Add(new Door(template, method, segments, anonymous, template.Contains("{project}", StringComparison.Ordinal), body));
                }
            }

            return doors;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A segment with each route parameter replaced by a value that names something of <c>acme</c>.</summary>
    private static string Sample(RoutePatternPathSegment segment) => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        RoutePatternParameterPart { Name: "project" } => "acme",
        RoutePatternParameterPart { Name: "name" } => "s1",
        RoutePatternParameterPart { Name: "jobId" } => "0123456789abcdef0123456789abcdef",
        RoutePatternParameterPart { Name: "documentName" } => "v1-doc",
        RoutePatternParameterPart { IsCatchAll: true } => "x",
        RoutePatternParameterPart => "faq",
        _ => "",
    }));
}
