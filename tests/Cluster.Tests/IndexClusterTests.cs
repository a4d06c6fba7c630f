using System.Diagnostics;
using MossGrains.Client.Indexes;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.IndexStore.Versions;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Cluster.Tests;

/// <summary>Loaded indexes and mutation jobs across three silo processes on a real Azurite, with silos killed by SIGKILL.</summary>
public sealed class IndexClusterTests(ITestOutputHelper output)
{
    // No assertion here times a call: the response timeout only bounds how long a call to the killed silo hangs.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    internal static DocumentInfo[] Docs(int from, int count, string tag) =>
        [.. Enumerable.Range(from, count).Select(i => new DocumentInfo(
            $"d{i}", $"{tag} catalog entry {i}: a product that ships in {i % 7} days", new Dictionary<string, string> { ["version"] = tag }))];

    /// <summary>Publishes straight to the cluster's index container, as another writer (a CI job, another region) would: no grain hears of it.</summary>
    internal static async Task<IndexVersion> PublishBehindTheClustersBackAsync(LocalCluster cluster, string name, string tag)
    {
        var store = cluster.IndexStore();
        var index = new SessionIndex(name, EmbedderCatalog.Default.Resolve(EmbedderCatalog.DefaultAlias));
        await index.AddDocsAsync(Docs(0, 5, tag));
        using var buffer = new MemoryStream();
        await index.SaveAsync(buffer);
        return await store.PublishAsync(IndexKey.For(IndexKey.DefaultProject, name), buffer.ToArray(), PublishPrecondition.None, default);
    }

    [Fact]
    public async Task The_refresh_reminder_of_a_killed_silo_keeps_the_index_refreshing_on_a_survivor()
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        await PublishBehindTheClustersBackAsync(cluster, "faq", "v1");
        var client = await cluster.ClientAsync(CallTimeout, cluster.Silos);
        var interval = TimeSpan.FromSeconds(10);
        var loaded = await client.LoadIndexAsync("faq", new LoadIndexOptions { PollingInterval = interval });
        var host = cluster.HostOf(loaded.Silo);
        var survivors = cluster.Silos.Where(s => s != host).ToArray();

        host.Kill();
        var v2 = await PublishBehindTheClustersBackAsync(cluster, "faq", "v2");
        var published = Stopwatch.StartNew();

        // Nothing calls the index now: only its reminder, taken over by a survivor, can bring it back and load v2.
        string line = await Task.WhenAny(survivors.Select(s => s.Process.WaitForLineAsync(
            l => l.Contains($"Index default/faq swapped from (none) to version {v2.Id}", StringComparison.Ordinal), TimeSpan.FromSeconds(90)))).Unwrap();
        output.WriteLine($"{published.Elapsed.TotalSeconds:F1} s after the publish: {line}");

        var reader = await cluster.ClientAsync(CallTimeout, survivors);
        var info = await reader.GetIndexInfoAsync("faq");
        Assert.Equal((v2.Id, 2L), (info.Version, info.Sequence));
        Assert.NotEqual(host, cluster.HostOf(info.Silo));
        var result = await reader.QueryIndexAsync("faq", "product ships", new QueryOptions { TopK = 5 });
        Assert.All(result.Docs, d => Assert.Equal("v2", d.Metadata!["version"]));
    }

    [Fact]
    public async Task Kill_9_of_the_silo_building_a_job_ends_it_completed_on_a_survivor_or_failed_never_stuck()
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        var client = await cluster.ClientAsync(CallTimeout, cluster.Silos);
        const int Count = 1500;
        string jobId = await client.AddDocsAsync("bulk", Docs(0, Count, "v1"));

        var clock = Stopwatch.StartNew();
        JobStatus status;
        while (!((status = await client.GetJobStatusAsync(jobId)) is { Phase: JobPhase.GeneratingEmbeddings, Processed: > 0 }))
        {
            Assert.False(status.IsFinished, $"the job finished ({JobStatusNames.Of(status.State)}) before it could be interrupted");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the job never started building");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        var host = cluster.HostOf(status.Silo!);
        output.WriteLine($"killing {host.Name} at {status.Processed} of {Count} embedded");
        host.Kill();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var final = await client.WaitForJobAsync(jobId, timeout.Token);
        output.WriteLine($"job ended {JobStatusNames.Of(final.State)} on {final.Silo} after {clock.Elapsed.TotalSeconds:F1} s: {final.Error}");
        if (final.State == JobState.Failed)
        {
            Assert.False(string.IsNullOrWhiteSpace(final.Error));
            return;
        }

        Assert.Equal(JobState.Completed, final.State);
        Assert.NotEqual(host, cluster.HostOf(final.Silo!));
        Assert.Equal(Count, final.DocCount);
        Assert.Equal(Count, (await client.LoadIndexAsync("bulk", new LoadIndexOptions { AutoRefresh = false })).DocCount);
    }
}
