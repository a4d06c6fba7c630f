using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MossGrains.IndexStore.Versions;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Persistence;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.FileSystem;
using MossGrains.IndexStore.Log;
using MossGrains.IndexStore.Sessions;
using MossGrains.Testing;

namespace MossGrains.IndexStore.Tests;

/// <summary>Create-or-resume, durability modes and the write-ahead log, on the filesystem store and the shipped default model.</summary>
public sealed class DurableSessionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("moss-durable-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FileSystemIndexStore _store;
    private readonly EmbedderCatalog _catalog;
    private readonly CountingEmbedder _counter;
    private readonly DurableSessionOptions _options = new() { CheckpointWrites = 3, CheckpointInterval = TimeSpan.FromSeconds(30) };

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public DurableSessionTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        _output = output;
        _store = new FileSystemIndexStore(Options.Create(new FileSystemIndexStoreOptions { RootDirectory = _root }), _time);
        (_catalog, _counter) = CountingEmbedder.DefaultModelCatalog();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<DurableSession> OpenAsync(string key, SessionDurability? durability = null, string? model = null) =>
        DurableSession.OpenAsync(key, model, durability, _store, _catalog, _options, _time, NullLogger.Instance, default);

    private static DocumentInfo[] Docs(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new DocumentInfo($"d{i}", $"document number {i} about refunds and shipping", new Dictionary<string, string> { ["n"] = $"{i}" }))];

    [Fact]
    public async Task A_new_key_starts_empty_with_the_default_model()
    {
        var session = await OpenAsync("p/new");
        Assert.Equal(0, session.Index.DocCount);
        Assert.Equal(EmbedderCatalog.Canonicalize(EmbedderCatalog.DefaultAlias), session.Index.ModelId);
        Assert.Null(session.Latest);
    }

    [Fact]
    public async Task A_pushed_session_resumes_from_its_binary_with_zero_embedding_calls()
    {
        var first = await OpenAsync("p/resume", SessionDurability.Ephemeral);
        await first.AddDocsAsync(Docs(0, 20), null, default);
        var pushed = await first.PushAsync(default);
        var before = await first.Index.QueryAsync("refunds", new QueryOptions { TopK = 3, Alpha = 0.5f });

        int calls = _counter.Calls;
        var resumed = await OpenAsync("p/resume");
        Assert.Equal(calls, _counter.Calls);
        Assert.Equal(20, resumed.Index.DocCount);
        Assert.Equal(pushed, resumed.Latest);

        var after = await resumed.Index.QueryAsync("refunds", new QueryOptions { TopK = 3, Alpha = 0.5f });
        Assert.Equal(before.Docs.Select(d => (d.Id, d.Score)), after.Docs.Select(d => (d.Id, d.Score)));
    }

    [Fact]
    public async Task Acknowledged_writes_survive_a_lost_process_through_the_log_and_are_folded_into_a_checkpoint()
    {
        var session = await OpenAsync("p/ack", SessionDurability.Acknowledged);
        await session.AddDocsAsync(Docs(0, 2), null, default);
        await session.AddDocsAsync(Docs(2, 2), null, default);
        await session.DeleteDocsAsync(["d0"], default);
        // The process dies here: nothing was pushed.
        Assert.Null(await _store.GetLatestAsync("p/ack", default));
        string segment = LogSegments.Of(null, session.Owner);
        Assert.Equal(3, (await _store.ReadLogAsync("p/ack", segment, default)).Records.Count);

        var reopened = await OpenAsync("p/ack");
        Assert.Equal(3, reopened.ReplayedWrites);
        Assert.Equal(["d1", "d2", "d3"], (await reopened.Index.GetDocsAsync()).Select(d => d.Id));
        Assert.NotNull(reopened.Latest);
        Assert.Empty((await _store.ReadLogAsync("p/ack", LogSegments.Of(reopened.Latest, reopened.Owner), default)).Records);
        Assert.Empty(await _store.ListLogsAsync("p/ack", default)); // the replayed segment is folded into the checkpoint and deleted
    }

    [Fact]
    public async Task Ephemeral_writes_are_not_logged_and_do_not_survive_without_a_push()
    {
        var session = await OpenAsync("p/eph", SessionDurability.Ephemeral);
        await session.AddDocsAsync(Docs(0, 5), null, default);
        Assert.False(session.CheckpointDue);
        Assert.Null(await session.FlushAsync(default));

        var reopened = await OpenAsync("p/eph");
        Assert.Equal(0, reopened.Index.DocCount);
    }

    [Fact]
    public async Task Checkpoint_is_due_after_the_configured_writes_or_interval()
    {
        var session = await OpenAsync("p/ckpt", SessionDurability.Checkpoint);
        await session.AddDocsAsync(Docs(0, 1), null, default);
        Assert.False(session.CheckpointDue);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(session.CheckpointDue);
        var version = await session.CheckpointIfDueAsync(default);
        Assert.NotNull(version);
        Assert.False(session.CheckpointDue);

        for (int i = 1; i <= 3; i++)
        {
            await session.AddDocsAsync(Docs(i, 1), null, default);
        }

        Assert.True(session.CheckpointDue);
        await session.CheckpointIfDueAsync(default);
        Assert.Equal(4, (await OpenAsync("p/ckpt")).Index.DocCount);
    }

    [Fact]
    public async Task A_refused_batch_changes_nothing_and_logs_nothing()
    {
        var session = await OpenAsync("p/bad", SessionDurability.Acknowledged);
        await session.AddDocsAsync(Docs(0, 2), null, default);
        DocumentInfo[] bad = [new("ok", "fine text"), new(" ", "an id that is only whitespace")];
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => session.AddDocsAsync(bad, null, default));
        Assert.Contains("docs[1]", error.ParamName ?? error.Message, StringComparison.Ordinal);
        Assert.Equal(2, session.Index.DocCount);
        Assert.Single((await _store.ReadLogAsync("p/bad", LogSegments.Of(null, session.Owner), default)).Records);
    }

    [Fact]
    public async Task Opening_a_pushed_session_with_another_model_is_refused_naming_both()
    {
        var session = await OpenAsync("p/model", SessionDurability.Ephemeral);
        await session.AddDocsAsync(Docs(0, 1), null, default);
        await session.PushAsync(default);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => OpenAsync("p/model", model: EmbedderCatalog.CustomModelId));
        Assert.Contains(session.Index.ModelId, error.Message, StringComparison.Ordinal);
        Assert.Contains("custom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_for_a_model_this_process_lacks_is_refused_clearly()
    {
        // A binary pushed by a process that had a model this one lacks.
        var foreign = new SessionIndex("foreign", new OtherModel());
        await foreign.AddDocsAsync([new DocumentInfo("v", "vector doc")]);
        using (var buffer = new MemoryStream())
        {
            await foreign.SaveAsync(buffer);
            await _store.PublishAsync("p/foreign", buffer.ToArray(), PublishPrecondition.None, default);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync("p/foreign"));
        Assert.Contains("other-model@1", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot load", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_latest_binary_is_refused_and_the_pointer_is_left_alone()
    {
        var session = await OpenAsync("p/corrupt", SessionDurability.Ephemeral);
        await session.AddDocsAsync(Docs(0, 3), null, default);
        var version = await session.PushAsync(default);
        string path = Path.Combine(_root, "p", "corrupt", "versions", version.Id + ".mossidx");
        byte[] bytes = await File.ReadAllBytesAsync(path);
        bytes[^40] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        await Assert.ThrowsAsync<IndexFormatException>(() => OpenAsync("p/corrupt"));
        Assert.Equal(version, await _store.GetLatestAsync("p/corrupt", default));
    }

    [Fact]
    public async Task A_copy_that_lost_ownership_can_neither_log_nor_push_and_every_write_it_acknowledged_survives()
    {
        var stale = await OpenAsync("p/fenced", SessionDurability.Acknowledged);
        await stale.AddDocsAsync(Docs(0, 2), null, default);
        await stale.AddDocsAsync(Docs(2, 1), null, default);

        // Another copy opens the session (the hung silo's survivor): it seals the stale copy's log and replays it.
        var owner = await OpenAsync("p/fenced", SessionDurability.Acknowledged);
        Assert.Equal(2, owner.ReplayedWrites); // two logged writes, three documents
        Assert.Equal(3, owner.Index.DocCount);

        var notLogged = await Assert.ThrowsAsync<SessionWriteNotDurableException>(() => stale.AddDocsAsync(Docs(3, 1), null, default));
        Assert.Contains("owned by another copy", notLogged.Message, StringComparison.Ordinal);
        Assert.True(stale.IsFenced);
        Assert.False(stale.CheckpointDue);
        Assert.Null(await stale.FlushAsync(default));
        await Assert.ThrowsAsync<SessionVersionConflictException>(() => stale.PushAsync(default));
        await Assert.ThrowsAsync<SessionVersionConflictException>(() => stale.DeleteDocsAsync(["d0"], default));
        Assert.Equal(owner.Latest, await _store.GetLatestAsync("p/fenced", default));

        await owner.AddDocsAsync(Docs(4, 1), null, default);
        var restarted = await OpenAsync("p/fenced");
        Assert.Equal(["d0", "d1", "d2", "d4"], (await restarted.Index.GetDocsAsync()).Select(d => d.Id).Order());
    }

    [Fact]
    public async Task The_checkpoint_of_a_copy_that_lost_ownership_never_publishes_its_stale_version()
    {
        var stale = await OpenAsync("p/stale-checkpoint", SessionDurability.Checkpoint);
        await stale.AddDocsAsync(Docs(0, 2), null, default);
        var pushed = await stale.PushAsync(default);
        await stale.AddDocsAsync(Docs(2, 1), null, default);

        var owner = await OpenAsync("p/stale-checkpoint", SessionDurability.Acknowledged);
        await owner.AddDocsAsync(Docs(10, 1), null, default);
        var ownerVersion = await owner.PushAsync(default);

        _time.Advance(_options.CheckpointInterval + TimeSpan.FromSeconds(1));
        Assert.True(stale.CheckpointDue); // it does not know yet
        var conflict = await Assert.ThrowsAsync<SessionVersionConflictException>(() => stale.CheckpointIfDueAsync(default));
        Assert.Equal(pushed.Id, conflict.ExpectedVersion);
        Assert.Equal(ownerVersion.Id, conflict.FoundVersion);
        Assert.False(stale.CheckpointDue);
        Assert.Equal(ownerVersion, await _store.GetLatestAsync("p/stale-checkpoint", default));
    }

    [Fact]
    public async Task A_push_on_a_stale_version_fails_naming_both_and_a_rebase_keeps_both_writers_documents_without_embedding()
    {
        var first = await OpenAsync("p/rebase", SessionDurability.Ephemeral);
        await first.AddDocsAsync(Docs(0, 2), null, default);
        var v1 = await first.PushAsync(default);

        var local = await OpenAsync("p/rebase", SessionDurability.Ephemeral);
        var other = await OpenAsync("p/rebase", SessionDurability.Ephemeral);
        await other.AddDocsAsync([new DocumentInfo("theirs", "a document the other writer added about invoices")], null, default);
        var v2 = await other.PushAsync(default);

        await local.AddDocsAsync([new DocumentInfo("mine", "a document this local session added about refunds")], null, default);
        await local.AddDocsAsync([new DocumentInfo("d0", "document zero, rewritten locally")], null, default);
        var conflict = await Assert.ThrowsAsync<SessionVersionConflictException>(() => local.PushAsync(default));
        Assert.Equal(v1.Id, conflict.ExpectedVersion);
        Assert.Equal(v2.Id, conflict.FoundVersion);
        Assert.Contains(v1.Id, conflict.Message, StringComparison.Ordinal);
        Assert.Contains(v2.Id, conflict.Message, StringComparison.Ordinal);
        Assert.Equal(v2, await _store.GetLatestAsync("p/rebase", default));

        int calls = _counter.Calls;
        var rebased = await local.RebaseAsync(default);
        Assert.Equal(calls, _counter.Calls);
        Assert.Equal(v2.Sequence + 1, rebased.Sequence);
        var docs = await (await OpenAsync("p/rebase")).Index.GetDocsAsync();
        Assert.Equal(["d0", "d1", "mine", "theirs"], docs.Select(d => d.Id).Order());
        Assert.Equal("document zero, rewritten locally", docs.Single(d => d.Id == "d0").Text);
    }

    [Fact]
    public async Task A_thousand_logged_writes_replay_with_their_logged_vectors_and_zero_embedding_calls()
    {
        const int Writes = 1_000;
        var options = new DurableSessionOptions { CheckpointWrites = 10_000 };
        var writer = await DurableSession.OpenAsync("p/replay", null, SessionDurability.Acknowledged, _store, _catalog, options, _time, NullLogger.Instance, default);
        for (int i = 0; i < Writes; i++)
        {
            await writer.AddDocsAsync(Docs(i, 1), null, default);
        }

        var before = await writer.Index.QueryAsync("document number 42 about refunds", new QueryOptions { TopK = 5, Alpha = 1 });
        int calls = _counter.Calls;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reopened = await DurableSession.OpenAsync("p/replay", null, null, _store, _catalog, options, _time, NullLogger.Instance, default);
        clock.Stop();

        Assert.Equal(calls, _counter.Calls);
        Assert.Equal(Writes, reopened.ReplayedWrites);
        Assert.Equal(Writes, reopened.Index.DocCount);
        var after = await reopened.Index.QueryAsync("document number 42 about refunds", new QueryOptions { TopK = 5, Alpha = 1 });
        Assert.Equal(before.Docs.Select(d => d.Id), after.Docs.Select(d => d.Id));
        _output.WriteLine($"reopening with {Writes} logged writes (replay and checkpoint): {clock.Elapsed.TotalMilliseconds:F0} ms, 0 embedding calls");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"replaying {Writes} writes took {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task Format_1_records_of_a_segment_written_before_owners_still_replay()
    {
        // What an older build left: an unnumbered segment after no version, records without vectors.
        await _store.CreateLogAsync("p/legacy", Versions.IndexVersion.InitialLogSegment, default);
        await _store.AppendLogAsync("p/legacy", Versions.IndexVersion.InitialLogSegment, MutationRecord.Add(Docs(0, 2), upsert: true).ToBytes(), default);
        await _store.AppendLogAsync("p/legacy", Versions.IndexVersion.InitialLogSegment, MutationRecord.Delete(["d0"]).ToBytes(), default);

        int calls = _counter.Calls;
        var session = await OpenAsync("p/legacy");
        Assert.True(_counter.Calls > calls); // format 1 carries no vectors: the model embeds them once
        Assert.Equal(2, session.ReplayedWrites);
        Assert.Equal(["d1"], (await session.Index.GetDocsAsync()).Select(d => d.Id));
        Assert.NotNull(session.Latest);
    }

    /// <summary>A model no catalog knows: its binaries cannot be loaded by this process.</summary>
    [Fact]
    public async Task A_binary_naming_a_folder_is_refused_as_a_bad_binary_by_a_catalog_of_names()
    {
        // Built in process from a folder id; a silo's catalog resolves names only.
        var foreign = new SessionIndex("folder", new OtherModel("onnx:/etc"));
        await foreign.AddDocsAsync([new DocumentInfo("v", "vector doc")]);
        using (var buffer = new MemoryStream())
        {
            await foreign.SaveAsync(buffer);
            await _store.PublishAsync("p/folder", buffer.ToArray(), PublishPrecondition.None, default);
        }

        var names = new EmbedderCatalog(new EmbedderOptions { AllowFolderIds = false });
        var error = await Assert.ThrowsAsync<IndexFormatException>(() =>
            DurableSession.OpenAsync("p/folder", null, null, _store, names, _options, _time, NullLogger.Instance, default));
        Assert.Contains("onnx:/etc", error.Message, StringComparison.Ordinal);
        Assert.Contains(EmbedderCatalog.DefaultAlias, error.Message, StringComparison.Ordinal);
    }

    private sealed class OtherModel(string modelId = "other-model@1") : TextEmbedderBase
    {
        public override EmbedderInfo Info { get; } = new(modelId, 3, 0, 8, true);

        public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
        {
            for (int i = 0; i < texts.Length; i++)
            {
                destination.Slice(i * 3, 3).Fill(0.5f);
            }
        }
    }
}
