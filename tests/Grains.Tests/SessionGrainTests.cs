using MossGrains.Client.Sessions;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Filtering;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using Orleans.Runtime;

namespace MossGrains.Grains.Tests;

public sealed class SessionGrainTests(SessionClusterFixture fixture) : IClassFixture<SessionClusterFixture>
{
    private static string NewName() => $"s-{Guid.NewGuid():N}";

    private static DocumentInfo[] Docs(int from, int count, string topic = "refunds") =>
        [.. Enumerable.Range(from, count).Select(i => new DocumentInfo(
            $"d{i}", $"document {i}: how {topic} work for order {i}", new Dictionary<string, string> { ["lang"] = i % 2 == 0 ? "en" : "fr" }))];

    [Fact]
    public async Task A_new_session_starts_empty_and_answers_semantic_keyword_hybrid_and_filtered_queries()
    {
        var session = await fixture.Moss.SessionAsync(NewName());
        Assert.Equal(0, await session.GetDocCountAsync());

        var (added, updated) = await session.AddDocsAsync(Docs(0, 10));
        Assert.Equal((10, 0), (added, updated));
        Assert.Equal((0, 2), await session.AddDocsAsync(Docs(0, 2)));

        foreach (float alpha in new[] { 0f, 0.5f, 1f })
        {
            var result = await session.QueryAsync("how do refunds work for order 3", new QueryOptions { TopK = 3, Alpha = alpha });
            Assert.Equal(3, result.Docs.Count);
            Assert.Equal(session.Name, result.IndexName);
        }

        var filtered = await session.QueryAsync("refunds", new QueryOptions { TopK = 10, Filter = Filter.Field("lang").Eq("fr") });
        Assert.Equal(5, filtered.Docs.Count);
        Assert.All(filtered.Docs, d => Assert.Equal("fr", d.Metadata!["lang"]));

        Assert.Equal(1, await session.DeleteDocsAsync(["d0", "nope"]));
        Assert.Equal(["d1", "d5"], (await session.GetDocsAsync(new GetDocumentsOptions { DocIds = ["d1", "d0", "d5"] })).Select(d => d.Id));
        Assert.Equal(9, await session.GetDocCountAsync());
    }

    [Fact]
    public async Task A_write_sent_again_in_the_same_idempotency_scope_answers_its_first_answer_also_on_a_new_activation()
    {
        var session = await fixture.Moss.SessionAsync(NewName(), new SessionOptions { Durability = SessionDurability.Ephemeral });
        (int, int) first;
        PushResult push;
        using (Client.MossIdempotency.Scope("add-1"))
        {
            first = await session.AddDocsAsync(Docs(0, 4));
            Assert.Equal(first, await session.AddDocsAsync(Docs(0, 4))); // done again it would answer (0, 4)
        }

        using (Client.MossIdempotency.Scope("push-1"))
        {
            push = await session.PushIndexAsync();
        }

        await fixture.Cluster.DeactivateAsync(fixture.Client.GetGrain<ISessionGrain>(session.Key));
        using (Client.MossIdempotency.Scope("add-1"))
        {
            Assert.Equal((4, 0), await session.AddDocsAsync(Docs(0, 4)));
            await Assert.ThrowsAsync<Idempotency.IdempotencyKeyReusedException>(() => session.AddDocsAsync(Docs(10, 1)));
        }

        using (Client.MossIdempotency.Scope("push-1"))
        {
            Assert.Equal(push, await session.PushIndexAsync());
        }

        Assert.Equal((0, 4), await session.AddDocsAsync(Docs(0, 4))); // no key: done again
        Assert.Equal(push.Sequence + 1, (await session.PushIndexAsync()).Sequence);
    }

    [Fact]
    public async Task A_pushed_session_resumes_after_deactivation_with_zero_embedding_calls()
    {
        string name = NewName();
        var session = await fixture.Moss.SessionAsync(name, new SessionOptions { Durability = SessionDurability.Ephemeral });
        await session.AddDocsAsync(Docs(0, 25));
        var push = await session.PushIndexAsync();
        Assert.Equal(25, push.DocCount);
        var before = await session.GetInfoAsync();

        await fixture.Cluster.DeactivateAsync(fixture.Client.GetGrain<ISessionGrain>(session.Key));
        int calls = fixture.Counter.Calls;
        var info = await fixture.Client.GetGrain<ISessionGrain>(session.Key).GetInfoAsync();

        Assert.Equal(calls, fixture.Counter.Calls);
        Assert.NotEqual(before.ActivationId, info.ActivationId);
        Assert.Equal(25, info.DocCount);
        Assert.Equal(push.Version, info.LatestVersion);
    }

    [Fact]
    public async Task Idle_deactivation_flushes_a_checkpoint_session_and_reactivation_keeps_its_data()
    {
        var session = await fixture.Moss.SessionAsync(NewName(), new SessionOptions { Durability = SessionDurability.Checkpoint });
        await session.AddDocsAsync(Docs(0, 7));
        var before = await session.GetInfoAsync();
        Assert.Null(before.LatestVersion);

        var grain = fixture.Client.GetGrain<ISessionGrain>(session.Key);
        var collected = fixture.Cluster.WaitForDeactivationAsync(grain);
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await collected;

        var after = await session.GetInfoAsync();
        Assert.NotEqual(before.ActivationId, after.ActivationId);
        Assert.NotNull(after.LatestVersion);
        Assert.Equal(7, after.DocCount);
        Assert.Equal(SessionDurability.Checkpoint, after.Durability);
    }

    [Fact]
    public async Task Concurrent_queries_on_one_session_run_at_the_same_time()
    {
        var session = await fixture.Moss.SessionAsync(NewName(), new SessionOptions { ModelId = GatedEmbedder.Id });
        await session.AddDocsAsync(Docs(0, 20));
        using var barrier = new Barrier(2);
        fixture.Gated.Queries = barrier;
        try
        {
            // Each query's embedding waits until the other is embedding too: one at a time, both would time out.
            var results = await Task.WhenAll(
                session.QueryAsync("refunds for order 1", new QueryOptions { Alpha = 1 }),
                session.QueryAsync("refunds for order 2", new QueryOptions { Alpha = 1 }));
            Assert.All(results, r => Assert.Equal(5, r.Docs.Count));
        }
        finally
        {
            fixture.Gated.Queries = null;
        }
    }

    [Fact]
    public async Task Queries_do_not_wait_for_a_write_in_progress()
    {
        string name = NewName();
        var session = await fixture.Moss.SessionAsync(name, new SessionOptions { ModelId = GatedEmbedder.Id });
        await session.AddDocsAsync(Docs(0, 5));
        using var gate = new ManualResetEventSlim();
        fixture.Gated.Documents = gate;
        Task<(int, int)> write;
        try
        {
            write = session.AddDocsAsync(Docs(5, 5));
            Assert.True(await fixture.Gated.DocumentsEntered.WaitAsync(TimeSpan.FromSeconds(20)));
            var during = await session.QueryAsync("refunds", new QueryOptions { TopK = 10, Alpha = 0 });
            Assert.Equal(5, during.Docs.Count);

            // Another caller that resumes the session by name (as every HTTP request does) is not held either.
            var resumed = await fixture.Moss.ResumeSessionAsync(name);
            Assert.Equal(5, (await resumed.QueryAsync("refunds", new QueryOptions { TopK = 10, Alpha = 0 })).Docs.Count);
            Assert.Equal(5, await resumed.GetDocCountAsync());
            Assert.False(write.IsCompleted);
        }
        finally
        {
            gate.Set();
            fixture.Gated.Documents = null;
        }

        Assert.Equal((5, 0), await write);
        Assert.Equal(10, await session.GetDocCountAsync());
    }

    [Fact]
    public async Task Bad_input_reaches_the_caller_as_an_argument_exception_naming_the_field()
    {
        var session = await fixture.Moss.SessionAsync(NewName());
        await session.AddDocsAsync(Docs(0, 3));

        var topK = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => session.QueryAsync("x", new QueryOptions { TopK = 0 }));
        Assert.Contains("TopK", topK.Message, StringComparison.Ordinal);
        var alpha = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => session.QueryAsync("x", new QueryOptions { Alpha = 2 }));
        Assert.Contains("Alpha", alpha.Message, StringComparison.Ordinal);
        var batch = await Assert.ThrowsAnyAsync<ArgumentException>(() => session.AddDocsAsync([new DocumentInfo("ok", "fine"), new DocumentInfo("", "no id")]));
        Assert.Contains("docs[1]", batch.Message + batch.ParamName, StringComparison.Ordinal);
        Assert.Equal(3, await session.GetDocCountAsync());

        var name = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Moss.SessionAsync("no spaces allowed"));
        Assert.Equal("name", name.ParamName);
        Assert.Contains("' ' is not allowed", name.Message, StringComparison.Ordinal);
        var longName = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Moss.SessionAsync(new string('a', 65)));
        Assert.Contains("1 to 64", longName.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_over_the_message_size_limit_is_refused_with_the_limit_and_changes_nothing()
    {
        var session = await fixture.Moss.SessionAsync(NewName());
        var big = Enumerable.Range(0, 40).Select(i => new DocumentInfo($"big{i}", new string('x', 30_000))).ToArray();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => session.AddDocsAsync(big));
        Assert.Equal("docs", error.ParamName);
        Assert.Contains(SessionClusterFixture.MaxMessageBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await session.GetDocCountAsync());
    }

    [Fact]
    public async Task Reopening_a_session_with_another_model_is_refused_and_projects_do_not_share_indexes()
    {
        string name = NewName();
        var session = await fixture.Moss.SessionAsync(name);
        await session.AddDocsAsync(Docs(0, 2));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Moss.SessionAsync(name, new SessionOptions { ModelId = GatedEmbedder.Id }));
        Assert.Contains(GatedEmbedder.Id, error.Message, StringComparison.Ordinal);

        var other = await fixture.Moss.SessionAsync(name, new SessionOptions { Project = "other-project" });
        Assert.Equal(0, await other.GetDocCountAsync());
        Assert.Equal($"other-project/{name}", other.Key);
    }

    [Fact]
    public async Task Acknowledged_writes_are_in_the_log_before_the_call_returns()
    {
        var session = await fixture.Moss.SessionAsync(NewName(), new SessionOptions { Durability = SessionDurability.Acknowledged });
        await session.AddDocsAsync(Docs(0, 3));
        await session.DeleteDocsAsync(["d1"]);
        var (project, name) = Naming.IndexKey.Parse(session.Key);
        string log = Directory.GetFiles(Path.Combine(fixture.StoreRoot, project, name, "wal"), "*.log").Single(); // the owner's segment after no version
        var records = IndexStore.Log.LogFraming.Unframe(await File.ReadAllBytesAsync(log));
        Assert.Equal(2, records.Records.Count);
        Assert.False(records.TornTail);
    }

    [Fact]
    public async Task A_local_session_is_refused_without_an_index_store_and_says_what_to_set()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Moss.LocalSessionAsync(NewName()));
        Assert.Contains("StorageConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Equal(EmbedderCatalog.DefaultAlias, new Client.Cluster.MossClusterClientOptions().LocalSessions.DefaultModel);
    }
}
