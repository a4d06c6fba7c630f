using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MossGrains.Grains.FileStorage;
using MossGrains.Grains.Indexes;
using Orleans.Storage;
using Orleans.TestingHost;

namespace MossGrains.Grains.Tests;

/// <summary>
/// The single node's grain storage and reminder table over files, as a silo registers them
/// (<c>AddFileGrainStorage</c>, <c>UseFileReminderService</c>): Orleans' ETag rules, atomic replaces, torn files refused.
/// The restart of a real silo process on the same folder is tested in tests/Http.Tests (RestartTests).
/// </summary>
public sealed class FileStorageTests : IAsyncLifetime
{
    private const string StateName = "index";
    private readonly string _root = Directory.CreateTempSubdirectory("moss-files-").FullName;
    private readonly GrainId _grain = GrainId.Create("test", "default/faq");
    private InProcessTestCluster? _cluster;

    private string GrainsRoot => Path.Combine(_root, "_grains");

    private IGrainStorage Storage => _cluster!.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(MossGrainStorage.Name);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddFileGrainStorage(MossGrainStorage.Name, o => o.RootDirectory = GrainsRoot);
            silo.UseFileReminderService(o => o.RootDirectory = Path.Combine(_root, "_reminders"));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    private static GrainState<LoadedIndexState> State(int seconds, string? etag = null) => new(
        new LoadedIndexState { Loaded = true, Settings = new LoadIndexRequest(PollingInterval: TimeSpan.FromSeconds(seconds)) }) { ETag = etag };

    [Fact]
    public async Task A_write_from_a_stale_etag_fails_and_changes_nothing()
    {
        var first = State(10);
        await Storage.WriteStateAsync(StateName, _grain, first);
        Assert.NotNull(first.ETag);
        var stale = State(20);
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, _grain, stale));
        Assert.Equal(first.ETag, error.StoredEtag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, _grain, State(0, "not-the-etag")));

        var read = new GrainState<LoadedIndexState>();
        await Storage.ReadStateAsync(StateName, _grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal((first.ETag, TimeSpan.FromSeconds(10)), (read.ETag, read.State!.Settings.Interval));

        read.State!.Settings = new LoadIndexRequest(PollingInterval: TimeSpan.FromSeconds(30));
        await Storage.WriteStateAsync(StateName, _grain, read);
        await Storage.ClearStateAsync(StateName, _grain, read);
        var cleared = new GrainState<LoadedIndexState>();
        await Storage.ReadStateAsync(StateName, _grain, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.ETag);
    }

    [Fact]
    public async Task A_torn_file_is_refused_and_a_crashed_writes_temporary_file_is_ignored()
    {
        await Storage.WriteStateAsync(StateName, _grain, State(10));
        string file = Assert.Single(Directory.GetFiles(GrainsRoot, "*", SearchOption.AllDirectories));
        // A write that crashed before its rename leaves a temporary file beside the record: the record still reads.
        await File.WriteAllBytesAsync(file + ".0123.tmp", [1, 2, 3]);
        var read = new GrainState<LoadedIndexState>();
        await Storage.ReadStateAsync(StateName, _grain, read);
        Assert.Equal(TimeSpan.FromSeconds(10), read.State!.Settings.Interval);

        byte[] bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(file, bytes[..(bytes.Length - 5)]);
        var torn = await Assert.ThrowsAsync<InvalidDataException>(() => Storage.ReadStateAsync(StateName, _grain, new GrainState<LoadedIndexState>()));
        Assert.Contains(file, torn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reminders_are_read_back_by_a_new_table_on_the_folder_and_a_stale_etag_removes_nothing()
    {
        string folder = Path.Combine(_root, "table");
        var options = Options.Create(new FileReminderTableOptions { RootDirectory = folder });
        string etag;
        using (var table = new FileReminderTable(options, NullLogger<FileReminderTable>.Instance))
        {
            await table.StartAsync();
            etag = (await table.UpsertRow(new ReminderEntry { GrainId = _grain, ReminderName = "moss-refresh", StartAt = DateTime.UtcNow, Period = TimeSpan.FromSeconds(10) }))!;
            Assert.False(await table.RemoveRow(_grain, "moss-refresh", "stale"));
        }

        using var reopened = new FileReminderTable(options, NullLogger<FileReminderTable>.Instance);
        await reopened.StartAsync();
        var row = await reopened.ReadRow(_grain, "moss-refresh");
        Assert.Equal((etag, TimeSpan.FromSeconds(10)), (row?.ETag, row?.Period));
        Assert.Single((await reopened.ReadRows(0, 0)).Reminders);
        Assert.True(await reopened.RemoveRow(_grain, "moss-refresh", etag));
        Assert.Empty((await reopened.ReadRows(_grain)).Reminders);
    }
}
