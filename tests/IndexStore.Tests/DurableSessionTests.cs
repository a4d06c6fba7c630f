using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MossGrains.IndexStore.Versions;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Persistence;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.IndexStore.FileSystem;
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

    public DurableSessionTests()
    {
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
        Assert.Equal(3, (await _store.ReadLogAsync("p/ack", Versions.IndexVersion.InitialLogSegment, default)).Records.Count);

        var reopened = await OpenAsync("p/ack");
        Assert.Equal(3, reopened.ReplayedWrites);
        Assert.Equal(["d1", "d2", "d3"], (await reopened.Index.GetDocsAsync()).Select(d => d.Id));
        Assert.NotNull(reopened.Latest);
        Assert.Empty((await _store.ReadLogAsync("p/ack", reopened.Latest!.Id, default)).Records);
        Assert.Empty((await _store.ReadLogAsync("p/ack", Versions.IndexVersion.InitialLogSegment, default)).Records);
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
        Assert.Single((await _store.ReadLogAsync("p/bad", Versions.IndexVersion.InitialLogSegment, default)).Records);
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
