using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace MossGrains.Http.Tests;

/// <summary>A multi-index query names a bounded number of indexes, and names that do not exist are answered at once.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class FanOutApiTests(HttpSiloFixture silo, ITestOutputHelper output)
{
    private const string Query = "/v1/projects/acme/indexes/query";

    /// <summary>Short names (10,000 of them stay under the fixture's body limit), fresh for each call.</summary>
    private static string[] Unknown(int count)
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        return [.. Enumerable.Range(0, count).Select(i => $"u{run}-{i}")];
    }

    private static string Body(IEnumerable<string> names) => $$"""{"indexes": {{JsonSerializer.Serialize(names)}}, "query": "refunds"}""";

    [Theory]
    [InlineData(33)]
    [InlineData(10_000)]
    public async Task A_query_naming_more_than_32_indexes_is_400_naming_indexes_and_the_limit(int count)
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        var clock = Stopwatch.StartNew();

        var (status, body, _) = await Api.SendAsync(http, HttpMethod.Post, Query, Body(Unknown(count)));

        output.WriteLine($"{count} names: {(int)status} in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("at most 32", (string)body!["errors"]!["indexes"]![0]!, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refusing took {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Unknown_names_are_404_naming_them_at_once_and_the_known_ones_still_answer()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        string known = await PublishedAndLoadedAsync(http);
        var unknown = Unknown(31);

        var clock = Stopwatch.StartNew();
        var (status, body, _) = await Api.SendAsync(http, HttpMethod.Post, Query, Body([known, .. unknown]));
        output.WriteLine($"1 known + 31 unknown names: {(int)status} in {clock.Elapsed.TotalMilliseconds:F0} ms");

        Assert.True(status == HttpStatusCode.NotFound, $"{(int)status} {body?.ToJsonString()}");
        string detail = (string)body!["detail"]!;
        Assert.Contains($"'{unknown[0]}'", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(known, detail, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answering took {clock.Elapsed.TotalMilliseconds:F0} ms");

        var answered = await Api.PostAsync(http, Query, Body([known]));
        Assert.NotEmpty(Api.Ids(answered));
    }

    private static async Task<string> PublishedAndLoadedAsync(HttpClient http)
    {
        string name = $"k-{Guid.NewGuid():N}";
        string session = $"/v1/projects/acme/sessions/{name}";
        await Api.ExpectAsync(http, HttpMethod.Put, session, null);
        await Api.PostAsync(http, session + "/docs", """{"docs": [{"id": "r", "text": "Refunds take five days."}]}""");
        await Api.PostAsync(http, session + "/push", null);
        await Api.PostAsync(http, $"/v1/projects/acme/indexes/{name}/load", null);
        return name;
    }
}
