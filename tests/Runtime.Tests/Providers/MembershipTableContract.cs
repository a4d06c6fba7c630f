using MossGrains.Runtime.Membership;

namespace MossGrains.Runtime.Tests.Providers;

/// <summary>The IMembershipTable contract; every implementation runs all of it.</summary>
public abstract class MembershipTableContract
{
    private static long _nextGeneration = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>A table for <paramref name="clusterId"/>; tables of different ids share storage where the implementation has any.</summary>
    protected abstract Task<IMembershipTable> CreateTableAsync(string clusterId);

    [Fact]
    public async Task Insert_bumps_the_version_and_reads_back_every_field()
    {
        var table = await NewTableAsync();
        var empty = await table.ReadAllAsync(default);
        Assert.Empty(empty.Rows);

        var entry = NewEntry(SiloStatus.Joining) with
        {
            SuspectTimes = [new SuspectVote(NewSilo(), Now().AddSeconds(-3)), new SuspectVote(NewSilo(), Now())],
        };
        Assert.True(await table.InsertRowAsync(entry, empty.Version.Next(), default));

        var data = await table.ReadAllAsync(default);
        Assert.Equal(empty.Version.Version + 1, data.Version.Version);
        Assert.NotEqual(empty.Version.ETag, data.Version.ETag);
        var row = Assert.Single(data.Rows);
        AssertSameEntry(entry, row.Entry);
        Assert.False(string.IsNullOrEmpty(row.ETag));
    }

    [Fact]
    public async Task A_stale_table_version_fails_and_changes_nothing()
    {
        var table = await NewTableAsync();
        var start = await table.ReadAllAsync(default);
        Assert.True(await table.InsertRowAsync(NewEntry(SiloStatus.Joining), start.Version.Next(), default));

        var late = NewEntry(SiloStatus.Joining);
        Assert.False(await table.InsertRowAsync(late, start.Version.Next(), default));

        var data = await table.ReadAllAsync(default);
        Assert.Single(data.Rows);
        Assert.Equal(start.Version.Version + 1, data.Version.Version);

        // The row's own ETag is current, but the version is not: still refused.
        var row = data.Rows[0];
        Assert.False(await table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Active }, row.ETag, start.Version.Next(), default));
        Assert.Equal(SiloStatus.Joining, Assert.Single((await table.ReadAllAsync(default)).Rows).Entry.Status);
    }

    [Fact]
    public async Task Inserting_an_existing_silo_fails_without_bumping_the_version()
    {
        var table = await NewTableAsync();
        var entry = NewEntry(SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        var before = await table.ReadAllAsync(default);
        Assert.False(await table.InsertRowAsync(entry with { SiloName = "again" }, before.Version.Next(), default));
        var after = await table.ReadAllAsync(default);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(entry.SiloName, Assert.Single(after.Rows).Entry.SiloName);
    }

    [Fact]
    public async Task A_stale_row_etag_fails_even_with_a_current_version()
    {
        var table = await NewTableAsync();
        var entry = NewEntry(SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        var first = await table.ReadAllAsync(default);
        string oldETag = first.Rows[0].ETag;
        Assert.True(await table.UpdateRowAsync(entry with { Status = SiloStatus.Active }, oldETag, first.Version.Next(), default));

        var second = await table.ReadAllAsync(default);
        Assert.NotEqual(oldETag, second.Rows[0].ETag);
        Assert.False(await table.UpdateRowAsync(entry with { Status = SiloStatus.Dead }, oldETag, second.Version.Next(), default));
        Assert.False(await table.UpdateRowAsync(entry with { Status = SiloStatus.Dead }, "not-an-etag", second.Version.Next(), default));
        var third = await table.ReadAllAsync(default);
        Assert.Equal(SiloStatus.Active, third.Rows[0].Entry.Status);
        Assert.Equal(second.Version, third.Version);
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_version_have_exactly_one_winner()
    {
        var table = await NewTableAsync();
        var start = await table.ReadAllAsync(default);
        var inserts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => table.InsertRowAsync(NewEntry(SiloStatus.Joining), start.Version.Next(), default))));
        Assert.Equal(1, inserts.Count(won => won));

        var afterInsert = await table.ReadAllAsync(default);
        var row = Assert.Single(afterInsert.Rows);
        var names = Enumerable.Range(0, 20).Select(i => $"writer-{i}").ToArray();
        var updates = await Task.WhenAll(names.Select(name =>
            Task.Run(() => table.UpdateRowAsync(row.Entry with { SiloName = name }, row.ETag, afterInsert.Version.Next(), default))));
        Assert.Equal(1, updates.Count(won => won));

        var final = await table.ReadAllAsync(default);
        Assert.Equal(names[Array.IndexOf(updates, true)], Assert.Single(final.Rows).Entry.SiloName);
        Assert.Equal(afterInsert.Version.Version + 1, final.Version.Version);
    }

    [Fact]
    public async Task Writers_that_retry_on_conflict_all_get_in()
    {
        var table = await NewTableAsync();
        var entries = Enumerable.Range(0, 8).Select(_ => NewEntry(SiloStatus.Joining)).ToList();
        await Task.WhenAll(entries.Select(entry => Task.Run(async () =>
        {
            while (!await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default))
            {
            }
        })));
        var data = await table.ReadAllAsync(default);
        Assert.Equal(entries.Select(e => e.Silo).ToHashSet(), data.Rows.Select(r => r.Entry.Silo).ToHashSet());
    }

    [Fact]
    public async Task IAmAlive_changes_neither_version_nor_etag()
    {
        var table = await NewTableAsync();
        var entry = NewEntry(SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        var before = await table.ReadAllAsync(default);
        var alive = Now().AddMinutes(5);
        await table.UpdateIAmAliveAsync(entry.Silo, alive, default);
        var after = await table.ReadAllAsync(default);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Rows[0].ETag, after.Rows[0].ETag);
        Assert.Equal(alive, after.Rows[0].Entry.IAmAliveTime);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_rows_older_than_the_date()
    {
        var table = await NewTableAsync();
        var old = Now().AddHours(-2);
        var oldDead = NewEntry(SiloStatus.Dead) with { IAmAliveTime = old };
        var oldActive = NewEntry(SiloStatus.Active) with { IAmAliveTime = old };
        var recentDead = NewEntry(SiloStatus.Dead);
        foreach (var entry in new[] { oldDead, oldActive, recentDead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(default)).Version.Next(), default));
        }

        await table.CleanupDefunctSiloEntriesAsync(Now().AddHours(-1), default);
        var left = (await table.ReadAllAsync(default)).Rows.Select(r => r.Entry.Silo).ToHashSet();
        Assert.Equal(new HashSet<SiloAddress> { oldActive.Silo, recentDead.Silo }, left);
    }

    [Fact]
    public async Task Clusters_are_isolated_and_deleted_separately()
    {
        string a = NewClusterId();
        string b = NewClusterId();
        var tableA = await CreateTableAsync(a);
        var tableB = await CreateTableAsync(b);
        await tableA.InitializeAsync(default);
        await tableB.InitializeAsync(default);
        await tableA.InitializeAsync(default);
        Assert.True(await tableA.InsertRowAsync(NewEntry(SiloStatus.Active), (await tableA.ReadAllAsync(default)).Version.Next(), default));
        var bData = await tableB.ReadAllAsync(default);
        Assert.Empty(bData.Rows);
        Assert.True(await tableB.InsertRowAsync(NewEntry(SiloStatus.Active), bData.Version.Next(), default));

        await tableA.DeleteClusterAsync(default);
        await tableA.InitializeAsync(default);
        Assert.Empty((await tableA.ReadAllAsync(default)).Rows);
        Assert.Single((await tableB.ReadAllAsync(default)).Rows);
    }

    internal static SiloAddress NewSilo() => new("127.0.0.1", 20000 + Random.Shared.Next(10000), Interlocked.Increment(ref _nextGeneration));

    /// <summary>Now, to the millisecond (storage keeps microseconds), in UTC.</summary>
    internal static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private static string NewClusterId() => $"cluster-{Guid.NewGuid():N}";

    private async Task<IMembershipTable> NewTableAsync()
    {
        var table = await CreateTableAsync(NewClusterId());
        await table.InitializeAsync(default);
        return table;
    }

    private static MembershipEntry NewEntry(SiloStatus status)
    {
        var silo = NewSilo();
        return new MembershipEntry(silo, $"silo-{silo.Generation}", status, Now().AddMinutes(-1), Now(), []);
    }

    private static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.Silo, actual.Silo);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(expected.SuspectTimes, actual.SuspectTimes);
    }
}
