using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using MossGrains.Client.Embedded;
using MossGrains.Client.Indexes;
using MossGrains.Engine.Session;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Jobs;
using MossGrains.Testing;

namespace MossGrains.Client.Tests;

/// <summary>Loaded indexes and mutation jobs in embedded mode; the refresh schedule driven by fake time.</summary>
public sealed class EmbeddedIndexTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("moss-embedded-indexes-").FullName;
    private readonly Engine.Embedding.EmbedderCatalog _catalog = CountingEmbedder.DefaultModelCatalog().Catalog;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private IMossClient NewClient(TimeProvider time) =>
        MossClient.CreateEmbedded(new EmbeddedMossOptions { IndexFolder = _folder, Catalog = _catalog, TimeProvider = time });

    private static DocumentInfo[] Docs(int from, int count, string tag) =>
        [.. Enumerable.Range(from, count).Select(i => new DocumentInfo($"d{i}", $"{tag} note {i}: refunds take {i} days", new Dictionary<string, string> { ["version"] = tag }))];

    /// <summary>A writer with real time (its job polling needs it) publishing through a job.</summary>
    private static async Task<JobStatus> PublishAsync(IMossClient writer, DocumentInfo[] docs)
    {
        var status = await writer.WaitForJobAsync(await writer.AddDocsAsync("faq", docs));
        Assert.True(status.State == JobState.Completed, status.Error);
        return status;
    }

    [Fact]
    public async Task Auto_refresh_checks_once_per_interval_and_swaps_to_a_newer_version()
    {
        await using var writer = NewClient(TimeProvider.System);
        var v1 = await PublishAsync(writer, Docs(0, 4, "v1"));
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var reader = NewClient(time);

        var loaded = await reader.LoadIndexAsync("faq", new LoadIndexOptions { PollingInterval = TimeSpan.FromSeconds(30) });
        Assert.Equal((v1.Version, time.GetUtcNow(), time.GetUtcNow().AddSeconds(30)), (loaded.Version, loaded.LastCheck!.Value, loaded.NextCheck!.Value));

        var v2 = await PublishAsync(writer, Docs(4, 3, "v2"));
        time.Advance(TimeSpan.FromSeconds(29));
        var early = await reader.GetIndexInfoAsync("faq");
        Assert.Equal((v1.Version, loaded.LastCheck), (early.Version, early.LastCheck));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(time.GetUtcNow(), (await reader.GetIndexInfoAsync("faq")).LastCheck); // the check started at the tick
        var clock = Stopwatch.StartNew();
        IndexInfo info;
        while ((info = await reader.GetIndexInfoAsync("faq")).Version != v2.Version)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the swap never completed");
            await Task.Yield();
        }

        Assert.Equal((7, 2L, time.GetUtcNow().AddSeconds(30)), (info.DocCount, info.Sequence, info.NextCheck!.Value));
        var result = await reader.QueryIndexAsync("faq", "refunds", new QueryOptions { TopK = 10 });
        Assert.Equal(7, result.Docs.Count);
    }

    [Fact]
    public async Task Embedded_jobs_apply_in_order_and_a_multi_index_query_merges_two_indexes()
    {
        await using var client = NewClient(TimeProvider.System);
        string[] jobs = [await client.AddDocsAsync("faq", Docs(0, 5, "a")), await client.DeleteDocsAsync("faq", ["d1"]), await client.AddDocsAsync("faq", Docs(1, 1, "b"))];
        var statuses = new List<JobStatus>();
        foreach (string job in jobs)
        {
            statuses.Add(await client.WaitForJobAsync(job));
        }

        Assert.Equal([1L, 2L, 3L], statuses.Select(s => s.Sequence));
        Assert.Equal([5, 4, 5], statuses.Select(s => s.DocCount));
        Assert.Equal(JobState.Completed, (await client.GetJobStatusAsync(jobs[2])).State);

        var other = await client.WaitForJobAsync(await client.AddDocsAsync("policies", Docs(10, 3, "p")));
        Assert.Equal(JobState.Completed, other.State);
        await client.LoadIndexAsync("faq", new LoadIndexOptions { AutoRefresh = false });
        await client.LoadIndexAsync("policies", new LoadIndexOptions { AutoRefresh = false });
        var merged = await client.QueryIndexesAsync(["faq", "policies"], "refunds", new QueryOptions { TopK = 8, Alpha = 0.5f });
        Assert.Equal(8, merged.Docs.Count);
        Assert.Equal(["faq", "policies"], merged.Docs.Select(d => d.IndexName).Distinct().Order());
        Assert.Equal("b", merged.Docs.Single(d => d is { IndexName: "faq", Id: "d1" }).Metadata!["version"]);
    }
}
