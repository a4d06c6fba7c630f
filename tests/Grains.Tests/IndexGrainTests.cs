using System.Diagnostics;
using MossGrains.Client.Indexes;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Naming;
using MossGrains.IndexStore.Versions;

namespace MossGrains.Grains.Tests;

public sealed class IndexGrainTests(SessionClusterFixture fixture) : IClassFixture<SessionClusterFixture>
{
    private static string NewName() => $"i-{Guid.NewGuid():N}";

    /// <summary>Publishes a version of <paramref name="name"/> whose <paramref name="count"/> documents are all tagged with <paramref name="tag"/>.</summary>
    private async Task<IndexVersion> PublishAsync(string name, string tag, int count = 10, string? modelId = null)
    {
        var index = new SessionIndex(name, fixture.Catalog.Resolve(modelId ?? EmbedderCatalog.DefaultAlias));
        await index.AddDocsAsync(Enumerable.Range(0, count).Select(i => new DocumentInfo(
            $"{name}-d{i}", $"{tag}: answer {i} about refunds, shipping and returns", new Dictionary<string, string> { ["version"] = tag })));
        using var buffer = new MemoryStream();
        await index.SaveAsync(buffer);
        return await fixture.Store.PublishAsync(IndexKey.For(IndexKey.DefaultProject, name), buffer.ToArray(), PublishPrecondition.None, default);
    }

    /// <summary>The version every document of one answer is tagged with; fails when an answer mixes versions.</summary>
    private static string WholeVersion(SearchResult result)
    {
        var tags = result.Docs.Select(d => d.Metadata!["version"]).Distinct().ToList();
        Assert.Single(tags);
        return tags[0];
    }

    [Fact]
    public async Task Hot_swap_under_load_drops_no_query_and_every_answer_comes_whole_from_one_version()
    {
        string name = NewName();
        await PublishAsync(name, "v0");
        var interval = LoadIndexRequest.MinimumPollingInterval;
        await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { PollingInterval = interval, ServeFromEverySilo = true });

        const int Versions = 20;
        var publishing = Stopwatch.StartNew();
        var lastPublished = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int queries = 0;
            var seenLast = TimeSpan.Zero;
            while (true)
            {
                var result = await fixture.Moss.QueryIndexAsync(name, "how do refunds work", new QueryOptions { TopK = 10, Alpha = 0.5f });
                Assert.Equal(10, result.Docs.Count);
                queries++;
                if (WholeVersion(result) == $"v{Versions}")
                {
                    seenLast = publishing.Elapsed;
                    return (queries, seenLast - await lastPublished.Task);
                }

                Assert.True(publishing.Elapsed < TimeSpan.FromSeconds(90), "the last version never reached this loop");
            }
        })).ToArray();

        for (int v = 1; v <= Versions; v++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1500));
            await PublishAsync(name, $"v{v}");
        }

        lastPublished.SetResult(publishing.Elapsed);
        var outcomes = await Task.WhenAll(loops);

        // Pointer check within one interval, then the replica follows within its sync interval; loading takes well under 5 s.
        var bound = interval + IndexReaderGrain.SyncInterval + TimeSpan.FromSeconds(5);
        Assert.All(outcomes, o => Assert.True(o.Item2 < bound, $"a loop saw the last version {o.Item2} after it was published (bound {bound})"));
        Assert.All(outcomes, o => Assert.True(o.queries > 50, $"only {o.queries} queries in a loop"));
    }

    [Fact]
    public async Task Loading_a_loaded_index_again_refreshes_it_at_once_and_info_reports_the_schedule()
    {
        string name = NewName();
        var v1 = await PublishAsync(name, "v1", count: 7);
        var info = await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { PollingInterval = TimeSpan.FromMinutes(5) });
        Assert.Equal((v1.Id, 1L, 7), (info.Version, info.Sequence, info.DocCount));
        Assert.Equal(EmbedderCatalog.Canonicalize(EmbedderCatalog.DefaultAlias), info.ModelId);
        Assert.True(info.AutoRefresh);
        Assert.NotNull(info.LastCheck);
        Assert.InRange(info.NextCheck!.Value - info.LastCheck!.Value, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5.1));
        Assert.Null(info.LastRefreshError);

        var v2 = await PublishAsync(name, "v2", count: 9);
        var refreshed = await fixture.Moss.LoadIndexAsync(name);
        Assert.Equal((v2.Id, 2L, 9), (refreshed.Version, refreshed.Sequence, refreshed.DocCount));
        Assert.Equal(TimeSpan.FromMinutes(5), refreshed.PollingInterval); // options not given: the stored ones stay
        Assert.Equal("v2", WholeVersion(await fixture.Moss.QueryIndexAsync(name, "refunds", new QueryOptions { TopK = 9 })));
        Assert.Equal(v2.Id, (await fixture.Moss.GetIndexInfoAsync(name)).Version);

        await fixture.Moss.UnloadIndexAsync(name);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.GetIndexInfoAsync(name));
        await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.QueryIndexAsync(name, "refunds"));
    }

    [Fact]
    public async Task A_corrupt_new_version_is_refused_and_logged_while_the_old_one_keeps_serving()
    {
        string name = NewName();
        var v1 = await PublishAsync(name, "v1");
        await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { AutoRefresh = false });
        var v2 = await PublishAsync(name, "v2");
        string file = Path.Combine(fixture.StoreRoot, IndexKey.DefaultProject, name, "versions", v2.Id + ".mossidx");
        byte[] bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes);

        var info = await fixture.Moss.LoadIndexAsync(name);

        Assert.Equal(v1.Id, info.Version);
        Assert.Contains(v2.Id, info.LastRefreshError, StringComparison.Ordinal);
        Assert.Contains("SHA-256", info.LastRefreshError, StringComparison.Ordinal);
        Assert.Equal("v1", WholeVersion(await fixture.Moss.QueryIndexAsync(name, "refunds", new QueryOptions { TopK = 10 })));
    }

    [Fact]
    public async Task A_slow_download_of_one_index_delays_neither_queries_nor_refreshes_of_another()
    {
        string slow = NewName(), fast = NewName();
        await PublishAsync(slow, "s1");
        await PublishAsync(fast, "f1");
        await fixture.Moss.LoadIndexAsync(slow, new LoadIndexOptions { AutoRefresh = false });
        await fixture.Moss.LoadIndexAsync(fast, new LoadIndexOptions { AutoRefresh = false });
        await PublishAsync(slow, "s2");
        await PublishAsync(fast, "f2");

        var entered = fixture.Store.Close(IndexKey.For(IndexKey.DefaultProject, slow));
        var slowRefresh = fixture.Moss.LoadIndexAsync(slow);
        await entered; // the slow index is now downloading, and will until the gate opens
        try
        {
            var fastInfo = await fixture.Moss.LoadIndexAsync(fast);
            Assert.Equal(2, fastInfo.Sequence);
            Assert.Equal("f2", WholeVersion(await fixture.Moss.QueryIndexAsync(fast, "refunds", new QueryOptions { TopK = 5 })));
            // The slow index itself keeps answering from its serving version while the new one downloads.
            Assert.Equal("s1", WholeVersion(await fixture.Moss.QueryIndexAsync(slow, "refunds", new QueryOptions { TopK = 5 })));
            Assert.False(slowRefresh.IsCompleted);
        }
        finally
        {
            fixture.Store.Open(IndexKey.For(IndexKey.DefaultProject, slow));
        }

        Assert.Equal(2, (await slowRefresh).Sequence);
        Assert.Equal("s2", WholeVersion(await fixture.Moss.QueryIndexAsync(slow, "refunds", new QueryOptions { TopK = 5 })));
    }

    [Fact]
    public async Task A_publish_announced_during_the_first_load_neither_drops_the_index_nor_goes_unseen()
    {
        string name = NewName(), key = IndexKey.For(IndexKey.DefaultProject, name);
        await PublishAsync(name, "v1");
        var entered = fixture.Store.Close(key);
        var load = fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { PollingInterval = TimeSpan.FromMinutes(10) });
        await entered; // the first load holds v1's download
        try
        {
            await PublishAsync(name, "v2");
            // What a mutation job does once it has published (the call interleaves with the load).
            await fixture.Client.GetGrain<IIndexGrain>(key).NotifyPublishedAsync();
        }
        finally
        {
            fixture.Store.Open(key);
        }

        var loaded = await load;
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var type = fixture.Client.GetGrain<IIndexGrain>(key).GetGrainId().Type;
        Assert.Contains(fixture.Client.GetGrain<IIndexGrain>(key).GetGrainId(), await management.GetActiveGrains(type));

        // The notification's check runs once the load is done: v2 is served without waiting for the 10-minute interval.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await fixture.Moss.GetIndexInfoAsync(name)).Sequence < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "v2, published during the first load, was not picked up");
            await Task.Delay(50);
        }

        var after = await fixture.Moss.GetIndexInfoAsync(name);
        Assert.Equal(loaded.LoadedAt, after.LoadedAt); // the same activation: nothing was dropped and hydrated again
        Assert.Equal("v2", WholeVersion(await fixture.Moss.QueryIndexAsync(name, "refunds", new QueryOptions { TopK = 5 })));
    }

    [Fact]
    public async Task A_multi_index_query_merges_indexes_of_one_model_and_refuses_mixed_models()
    {
        string faq = NewName(), catalog = NewName(), other = NewName();
        await PublishAsync(faq, "faq", count: 6);
        await PublishAsync(catalog, "catalog", count: 6);
        await PublishAsync(other, "other", count: 3, modelId: GatedEmbedder.Id);
        foreach (string name in new[] { faq, catalog, other })
        {
            await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { AutoRefresh = false });
        }

        var semantic = await fixture.Moss.QueryIndexesAsync([faq, catalog], "refunds answer 3", new QueryOptions { TopK = 12, Alpha = 1 });
        Assert.Equal(12, semantic.Docs.Count);
        Assert.Equal(6, semantic.Docs.Count(d => d.IndexName == faq));
        Assert.Equal(semantic.Docs.OrderByDescending(d => d.Score).Select(d => d.Id), semantic.Docs.Select(d => d.Id));
        // Alpha 1 reports cosine similarities: the same document scores the same alone and merged.
        var alone = await fixture.Moss.QueryIndexAsync(faq, "refunds answer 3", new QueryOptions { TopK = 1, Alpha = 1 });
        Assert.Equal(alone.Docs[0].Score, semantic.Docs.First(d => d.Id == alone.Docs[0].Id).Score, 5);
        Assert.Equal(2, semantic.Versions.Count);

        var hybrid = await fixture.Moss.QueryIndexesAsync([faq, catalog], "refunds answer 3", new QueryOptions { TopK = 4, Alpha = 0.5f });
        Assert.Equal(4, hybrid.Docs.Count);
        Assert.All(hybrid.Docs, d => Assert.InRange(d.Score, 0f, 1f));

        var mixed = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Moss.QueryIndexesAsync([faq, other], "refunds"));
        Assert.Contains(GatedEmbedder.Id, mixed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queries_on_one_loaded_index_run_at_the_same_time()
    {
        string name = NewName();
        await PublishAsync(name, "v1", count: 4, modelId: GatedEmbedder.Id);
        await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { AutoRefresh = false });
        using var together = new Barrier(2);
        fixture.Gated.Queries = together;
        try
        {
            // Each query's embedding waits until the other's is inside too: they pass only if the grain runs them in parallel.
            var results = await Task.WhenAll(
                fixture.Moss.QueryIndexAsync(name, "refunds", new QueryOptions { TopK = 2, Alpha = 1 }),
                fixture.Moss.QueryIndexAsync(name, "shipping", new QueryOptions { TopK = 2, Alpha = 1 }));
            Assert.All(results, r => Assert.Equal(2, r.Docs.Count));
        }
        finally
        {
            fixture.Gated.Queries = null;
        }
    }

    [Fact]
    public async Task Bad_requests_name_what_is_wrong()
    {
        var unknown = await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.LoadIndexAsync(NewName()));
        Assert.Contains("no published version", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => fixture.Moss.QueryIndexAsync(NewName(), "refunds"));

        var interval = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            fixture.Moss.LoadIndexAsync("x", new LoadIndexOptions { PollingInterval = TimeSpan.FromSeconds(5) }));
        Assert.Equal("PollingInterval", interval.ParamName);
        Assert.Contains("10 s", interval.Message, StringComparison.Ordinal);
    }
}
