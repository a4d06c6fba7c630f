using MossGrains.Runtime.Reminders;

namespace MossGrains.Runtime.Tests.Providers;

/// <summary>The IReminderTable contract; every implementation runs all of it.</summary>
public abstract class ReminderTableContract
{
    protected abstract Task<IReminderTable> CreateTableAsync(string clusterId);

    [Fact]
    public async Task Upsert_reads_back_and_changes_the_etag()
    {
        var table = await NewTableAsync();
        var entry = Reminder("g1", "tick");
        string etag = await table.UpsertRowAsync(entry, default);
        var read = await table.ReadRowAsync(entry.GrainId, "tick", default);
        Assert.Equal(entry with { ETag = etag }, read);

        var changed = entry with { Period = TimeSpan.FromMinutes(7) };
        string etag2 = await table.UpsertRowAsync(changed, default);
        Assert.NotEqual(etag, etag2);
        Assert.Equal(changed with { ETag = etag2 }, await table.ReadRowAsync(entry.GrainId, "tick", default));

        await table.UpsertRowAsync(Reminder("g1", "tock"), default);
        await table.UpsertRowAsync(Reminder("g2", "tick"), default);
        Assert.Equal(["tick", "tock"], (await table.ReadRowsAsync(entry.GrainId, default)).Select(r => r.ReminderName).Order());
        Assert.Null(await table.ReadRowAsync(entry.GrainId, "missing", default));
    }

    [Fact]
    public async Task Remove_needs_the_current_etag()
    {
        var table = await NewTableAsync();
        var entry = Reminder("g", "r");
        string oldETag = await table.UpsertRowAsync(entry, default);
        string currentETag = await table.UpsertRowAsync(entry, default);
        Assert.False(await table.RemoveRowAsync(entry.GrainId, "r", oldETag, default));
        Assert.NotNull(await table.ReadRowAsync(entry.GrainId, "r", default));
        Assert.True(await table.RemoveRowAsync(entry.GrainId, "r", currentETag, default));
        Assert.Null(await table.ReadRowAsync(entry.GrainId, "r", default));
        Assert.False(await table.RemoveRowAsync(entry.GrainId, "r", currentETag, default));

        // A re-created reminder gets a new etag, so the old one cannot remove it.
        await table.UpsertRowAsync(entry, default);
        Assert.False(await table.RemoveRowAsync(entry.GrainId, "r", currentETag, default));
    }

    [Fact]
    public async Task Ring_range_reads_match_the_range_definition_including_wrap_around()
    {
        var table = await NewTableAsync();
        var entries = Enumerable.Range(0, 300).Select(i => Reminder($"grain-{i}", "r")).ToList();
        await Task.WhenAll(entries.Select(e => table.UpsertRowAsync(e, default)));
        var hashes = entries.Select(e => e.GrainId.GetUniformHashCode()).Order().ToArray();

        (uint Start, uint End)[] ranges =
        [
            (0, uint.MaxValue),
            (uint.MaxValue / 4, uint.MaxValue / 2),
            (uint.MaxValue / 2, uint.MaxValue / 4), // wraps
            (uint.MaxValue - 1000, 1000), // wraps across zero
            (12345, 12345), // whole ring
            (hashes[10], hashes[200]), // boundaries on real hashes: start excluded, end included
            (hashes[250], hashes[20]),
            (int.MaxValue, (uint)int.MaxValue + 10_000_000), // across the signed/unsigned boundary
        ];
        foreach (var (start, end) in ranges)
        {
            var expected = entries.Where(e => RingRange.Contains(start, end, e.GrainId.GetUniformHashCode()))
                .Select(e => e.GrainId).ToHashSet();
            var actual = (await table.ReadRowsAsync(start, end, default)).Select(r => r.GrainId).ToList();
            Assert.Equal(expected.Count, actual.Count);
            Assert.True(expected.SetEquals(actual), $"range ({start}, {end}]");
        }

        Assert.Equal(entries.Count, (await table.ReadRowsAsync(5, 5, default)).Count);
        Assert.DoesNotContain(
            await table.ReadRowsAsync(hashes[10], hashes[11], default),
            r => r.GrainId.GetUniformHashCode() == hashes[10]);
    }

    [Fact]
    public async Task Invalid_reminders_are_refused()
    {
        var table = await NewTableAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => table.UpsertRowAsync(Reminder("g", "r") with { Period = TimeSpan.Zero }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertRowAsync(Reminder("g", ""), default));
    }

    [Fact]
    public async Task Clusters_do_not_see_each_others_reminders()
    {
        var a = await NewTableAsync();
        var b = await NewTableAsync();
        await a.UpsertRowAsync(Reminder("same", "r"), default);
        Assert.Null(await b.ReadRowAsync(new GrainId("test", "same"), "r", default));
        Assert.Empty(await b.ReadRowsAsync(0, 0, default));
    }

    private static ReminderEntry Reminder(string key, string name) =>
        new(new GrainId("test", key), name, MembershipTableContract.Now(), TimeSpan.FromMinutes(1));

    private async Task<IReminderTable> NewTableAsync()
    {
        var table = await CreateTableAsync($"cluster-{Guid.NewGuid():N}");
        await table.InitializeAsync(default);
        return table;
    }
}
