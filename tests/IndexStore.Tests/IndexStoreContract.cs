using System.Text;
using MossGrains.Engine.Persistence;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.Tests;

/// <summary>What every <see cref="IIndexStore"/> must do; run against the filesystem and against Azure Blob on Azurite.</summary>
public abstract class IndexStoreContract
{
    /// <summary>A store with pruning grace 0 and <paramref name="keepVersions"/> old versions kept.</summary>
    protected abstract IIndexStore CreateStore(int keepVersions = 4);

    /// <summary>Overwrites the stored bytes of <paramref name="version"/> (bit rot, a truncated upload, a hand edit).</summary>
    protected abstract Task OverwriteVersionAsync(IIndexStore store, string key, IndexVersion version, byte[] bytes);

    /// <summary>Appends bytes to a log segment as a crash in the middle of an append would leave them.</summary>
    protected abstract Task AppendRawLogAsync(IIndexStore store, string key, string segment, byte[] bytes);

    protected abstract int CountVersions(IIndexStore store, string key);

    private static string NewKey() => $"tests/idx-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_key_never_pushed_has_no_latest_version_and_an_empty_log()
    {
        var store = CreateStore();
        string key = NewKey();
        Assert.Null(await store.GetLatestAsync(key, default));
        var log = await store.ReadLogAsync(key, IndexVersion.InitialLogSegment, default);
        Assert.Empty(log.Records);
        Assert.False(log.TornTail);
    }

    [Fact]
    public async Task Publish_moves_the_pointer_to_a_verified_version_with_the_next_sequence()
    {
        var store = CreateStore();
        string key = NewKey();
        var first = await store.PublishAsync(key, Encoding.UTF8.GetBytes("first binary"), PublishPrecondition.None, default);
        var second = await store.PublishAsync(key, Encoding.UTF8.GetBytes("second, longer binary"), PublishPrecondition.None, default);

        Assert.Equal(1, first.Sequence);
        Assert.Equal(2, second.Sequence);
        Assert.Equal(second, await store.GetLatestAsync(key, default));
        Assert.Equal("second, longer binary", Encoding.UTF8.GetString(await store.ReadVersionAsync(key, second, default)));
        Assert.Equal("first binary", Encoding.UTF8.GetString(await store.ReadVersionAsync(key, first, default)));
    }

    [Fact]
    public async Task Concurrent_publishes_all_land_and_the_pointer_always_names_a_complete_version()
    {
        var store = CreateStore(keepVersions: 100);
        string key = NewKey();
        var bodies = Enumerable.Range(0, 10).Select(i => Encoding.UTF8.GetBytes(new string((char)('a' + i), 1000 + i))).ToArray();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            int reads = 0;
            while (!stop.IsCancellationRequested)
            {
                if (await store.GetLatestAsync(key, default) is { } latest)
                {
                    byte[] bytes = await store.ReadVersionAsync(key, latest, default); // throws if partial or missing
                    Assert.Contains(bodies, b => b.AsSpan().SequenceEqual(bytes));
                    reads++;
                }
            }

            return reads;
        });

        var published = await Task.WhenAll(bodies.Select(b => Task.Run(() => store.PublishAsync(key, b, PublishPrecondition.None, default))));
        await stop.CancelAsync();
        await reader;

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), published.Select(v => v.Sequence).Order());
        var latest = await store.GetLatestAsync(key, default);
        Assert.Equal(10, latest!.Sequence);
        Assert.Equal(published.Single(v => v.Sequence == 10).Id, latest.Id);
    }

    [Fact]
    public async Task Old_versions_beyond_the_kept_count_are_pruned_and_the_latest_never_is()
    {
        var store = CreateStore(keepVersions: 2);
        string key = NewKey();
        IndexVersion last = null!;
        for (int i = 0; i < 6; i++)
        {
            last = await store.PublishAsync(key, Encoding.UTF8.GetBytes($"v{i}"), PublishPrecondition.None, default);
        }

        Assert.Equal(3, CountVersions(store, key));
        Assert.Equal("v5", Encoding.UTF8.GetString(await store.ReadVersionAsync(key, last, default)));
    }

    [Fact]
    public async Task A_conditional_publish_built_on_a_stale_version_is_refused_and_leaves_no_version_behind()
    {
        var store = CreateStore();
        string key = NewKey();
        var first = await store.PublishAsync(key, Encoding.UTF8.GetBytes("v1"), PublishPrecondition.LatestIs(null), default);
        await Assert.ThrowsAsync<VersionConflictException>(() => store.PublishAsync(key, Encoding.UTF8.GetBytes("also v1"), PublishPrecondition.LatestIs(null), default));
        var second = await store.PublishAsync(key, Encoding.UTF8.GetBytes("v2"), PublishPrecondition.LatestIs(first), default);

        var stale = await Assert.ThrowsAsync<VersionConflictException>(() => store.PublishAsync(key, Encoding.UTF8.GetBytes("v2 from a stale writer"), PublishPrecondition.LatestIs(first), default));
        Assert.Contains(second.Id, stale.Message, StringComparison.Ordinal);
        Assert.Equal(second, await store.GetLatestAsync(key, default));
        Assert.Equal(2, second.Sequence);
        Assert.Equal(2, CountVersions(store, key));
    }

    [Fact]
    public async Task A_corrupt_or_truncated_version_is_refused_and_the_pointer_is_left_alone()
    {
        var store = CreateStore();
        string key = NewKey();
        var version = await store.PublishAsync(key, Encoding.UTF8.GetBytes("a perfectly good index binary"), PublishPrecondition.None, default);

        await OverwriteVersionAsync(store, key, version, Encoding.UTF8.GetBytes("a perfectly good index binarY"));
        var corrupt = await Assert.ThrowsAsync<IndexFormatException>(() => store.ReadVersionAsync(key, version, default));
        Assert.Contains("SHA-256", corrupt.Message, StringComparison.Ordinal);

        await OverwriteVersionAsync(store, key, version, Encoding.UTF8.GetBytes("a perfectly good"));
        var truncated = await Assert.ThrowsAsync<IndexFormatException>(() => store.ReadVersionAsync(key, version, default));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);

        Assert.Equal(version, await store.GetLatestAsync(key, default));
    }

    [Fact]
    public async Task The_log_returns_appended_records_in_order_and_reports_a_torn_tail()
    {
        var store = CreateStore();
        string key = NewKey();
        await store.CreateLogAsync(key, "seg", default);
        for (int i = 0; i < 3; i++)
        {
            await store.AppendLogAsync(key, "seg", Encoding.UTF8.GetBytes($"record {i}"), default);
        }

        var whole = await store.ReadLogAsync(key, "seg", default);
        Assert.Equal(["record 0", "record 1", "record 2"], whole.Records.Select(r => Encoding.UTF8.GetString(r)));
        Assert.False(whole.TornTail);

        byte[] frame = Log.LogFraming.Frame(Encoding.UTF8.GetBytes("record 3, cut short by a crash"));
        await AppendRawLogAsync(store, key, "seg", frame[..(frame.Length / 2)]);
        var torn = await store.ReadLogAsync(key, "seg", default);
        Assert.Equal(3, torn.Records.Count);
        Assert.True(torn.TornTail);

        await store.DeleteLogAsync(key, "seg", default);
        Assert.Empty((await store.ReadLogAsync(key, "seg", default)).Records);
    }

    [Fact]
    public async Task Claiming_ownership_keeps_the_version_and_fences_the_previous_owners_publishes()
    {
        var store = CreateStore();
        string key = NewKey();
        var first = await store.ClaimOwnershipAsync(key, default);
        Assert.Equal(new LatestPointer(null, 1), first);
        Assert.Null(await store.GetLatestAsync(key, default));
        var v1 = await store.PublishAsync(key, Encoding.UTF8.GetBytes("v1"), PublishPrecondition.OwnedLatestIs(null, 1), default);

        var second = await store.ClaimOwnershipAsync(key, default);
        Assert.Equal(new LatestPointer(v1, 2), second);
        var stale = await Assert.ThrowsAsync<VersionConflictException>(
            () => store.PublishAsync(key, Encoding.UTF8.GetBytes("v2 from the fenced owner"), PublishPrecondition.OwnedLatestIs(v1, 1), default));
        Assert.Equal(v1.Id, stale.ExpectedVersion);
        Assert.Equal(v1.Id, stale.FoundVersion);
        Assert.Contains("owner 2", stale.Message, StringComparison.Ordinal);
        Assert.Equal(1, CountVersions(store, key));

        var v2 = await store.PublishAsync(key, Encoding.UTF8.GetBytes("v2"), PublishPrecondition.OwnedLatestIs(v1, 2), default);
        var v3 = await store.PublishAsync(key, Encoding.UTF8.GetBytes("v3 from a job"), PublishPrecondition.LatestIs(v2), default);
        Assert.Equal(new LatestPointer(v3, 2), await store.GetPointerAsync(key, default)); // other writers keep the owner
        await Assert.ThrowsAsync<VersionConflictException>(
            () => store.PublishAsync(key, Encoding.UTF8.GetBytes("v3 from the owner"), PublishPrecondition.OwnedLatestIs(v2, 2), default));
    }

    [Fact]
    public async Task Concurrent_claims_each_get_their_own_owner_epoch()
    {
        var store = CreateStore();
        string key = NewKey();
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ClaimOwnershipAsync(key, default))));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), claims.Select(c => c.Owner).Order());
        Assert.Equal(8, (await store.GetPointerAsync(key, default)).Owner);
    }

    [Fact]
    public async Task A_sealed_or_missing_log_segment_refuses_appends_and_keeps_its_records()
    {
        var store = CreateStore();
        string key = NewKey();
        await Assert.ThrowsAsync<Log.LogSealedException>(() => store.AppendLogAsync(key, "never-created", Encoding.UTF8.GetBytes("lost?"), default));
        Assert.Empty((await store.ReadLogAsync(key, "never-created", default)).Records);

        await store.CreateLogAsync(key, "owned", default);
        await store.AppendLogAsync(key, "owned", Encoding.UTF8.GetBytes("record 0"), default);
        await store.AppendLogAsync(key, "owned", Encoding.UTF8.GetBytes("record 1"), default);
        Assert.Contains("owned", await store.ListLogsAsync(key, default));

        await store.SealLogAsync(key, "owned", default);
        var refused = await Assert.ThrowsAsync<Log.LogSealedException>(() => store.AppendLogAsync(key, "owned", Encoding.UTF8.GetBytes("record 2"), default));
        Assert.Equal("owned", refused.Segment);
        await store.CreateLogAsync(key, "owned", default); // a fenced owner creating its segment again does not unseal it
        await Assert.ThrowsAsync<Log.LogSealedException>(() => store.AppendLogAsync(key, "owned", Encoding.UTF8.GetBytes("record 2"), default));
        Assert.Equal(["record 0", "record 1"], (await store.ReadLogAsync(key, "owned", default)).Records.Select(r => Encoding.UTF8.GetString(r)));

        await store.DeleteLogAsync(key, "owned", default);
        Assert.DoesNotContain("owned", await store.ListLogsAsync(key, default));
        await Assert.ThrowsAsync<Log.LogSealedException>(() => store.AppendLogAsync(key, "owned", Encoding.UTF8.GetBytes("record 2"), default));
    }
}
