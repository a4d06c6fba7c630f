using System.Net;
using MossGrains.Testing;

namespace MossGrains.Http.Tests;

/// <summary>
/// Per-project request rates on a silo of its own: <c>acme</c> has a bucket of 3 refilled at 1 request/s, <c>globex</c>
/// the default. Past its bucket a project gets 429 with <c>Retry-After</c> as a problem document; another project is
/// untouched, and refused keys never spend a project's budget.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const string AcmeKey = "acme-rate-key";
    private const string GlobexKey = "globex-rate-key";
    private SiloProcess? _silo;

    public async Task InitializeAsync() =>
        _silo = await SiloProcess.StartLocalhostAsync("rate", new Dictionary<string, string>
        {
            ["Moss:Http:Projects:acme:Keys:0"] = AcmeKey,
            ["Moss:Http:Projects:acme:RateLimit:RequestsPerSecond"] = "1",
            ["Moss:Http:Projects:acme:RateLimit:Burst"] = "3",
            ["Moss:Http:Projects:globex:Keys:0"] = GlobexKey,
        });

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_project_past_its_rate_gets_429_with_retry_after_and_others_do_not()
    {
        using var acme = Client(AcmeKey);
        using var globex = Client(GlobexKey);
        using var stranger = Client("nobody's key");

        // Refused requests are refused before the rate limiter: they spend nothing of acme's bucket.
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(stranger, HttpMethod.Get, "/v1/projects/acme/sessions")).Status);
        }

        var statuses = new List<HttpStatusCode>();
        (HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body, HttpResponseMessage Response) refused = default;
        for (int i = 0; i < 6; i++)
        {
            var answer = await Api.SendAsync(acme, HttpMethod.Get, "/v1/projects/acme/sessions");
            statuses.Add(answer.Status);
            if (answer.Status == HttpStatusCode.TooManyRequests)
            {
                refused = answer;
            }
        }

        // The bucket holds 3 and refills one a second: at most one more can have been earned while the loop ran.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 3, 4);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.NotNull(refused.Response);
        Assert.Equal("application/problem+json", refused.Response.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(refused.Response.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(429, (int)refused.Body!["status"]!);
        Assert.Contains("Moss:Http:Projects:acme:RateLimit", (string)refused.Body["detail"]!, StringComparison.Ordinal);

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(globex, HttpMethod.Get, "/v1/projects/globex/sessions")).Status);
        }
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = _silo!.HttpBase, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Moss-Key", key);
        return client;
    }
}
