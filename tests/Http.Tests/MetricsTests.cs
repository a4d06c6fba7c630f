namespace MossGrains.Http.Tests;

/// <summary>The Prometheus scrape endpoint: MossGrains' instruments move with the work done, and Orleans' own are there.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class MetricsTests(HttpSiloFixture silo)
{
    private async Task<string> ScrapeAsync()
    {
        using var scraper = new HttpClient { BaseAddress = silo.Silo.HttpBase };
        return await scraper.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>; 0 when absent.</summary>
    private static double Sample(string scrape, string metric, string label) =>
        scrape.Split('\n')
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();

    [Fact]
    public async Task Queries_writes_and_sessions_show_in_the_scrape_beside_orleans_meters()
    {
        var http = silo.Client(HttpSiloFixture.AcmeKey);
        string session = $"/v1/projects/acme/sessions/metrics-{Guid.NewGuid():N}"[..60];
        double queriesBefore = Sample(await ScrapeAsync(), "moss_query_duration_milliseconds_count", "target=\"session\"");

        await Api.ExpectAsync(http, HttpMethod.Put, session, """{"durability": "ephemeral"}""");
        await Api.PostAsync(http, session + "/docs", """{"docs": [{"id": "a", "text": "refunds take five days"}, {"id": "b", "text": "shipping is free"}]}""");
        for (int i = 0; i < 3; i++)
        {
            await Api.PostAsync(http, session + "/query", """{"query": "refunds", "top_k": 1}""");
        }

        string scrape = await ScrapeAsync();
        Assert.True(Sample(scrape, "moss_query_duration_milliseconds_count", "target=\"session\"") >= queriesBefore + 3, "the 3 queries were not counted");
        Assert.True(Sample(scrape, "moss_docs_written", "operation=\"add\"") >= 2, "documents written were not counted");
        Assert.True(Sample(scrape, "moss_sessions_active", "") >= 1, "the open session was not counted");
        Assert.Contains("\norleans_", scrape, StringComparison.Ordinal);
    }
}
