using Microsoft.Extensions.Options;
using MossGrains.IndexStore.FileSystem;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.Tests;

public sealed class FileSystemIndexStoreTests : IndexStoreContract, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("moss-fs-store-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    protected override IIndexStore CreateStore(int keepVersions = 4) => new FileSystemIndexStore(
        Options.Create(new FileSystemIndexStoreOptions { RootDirectory = _root, KeepVersions = keepVersions, PruneGrace = TimeSpan.Zero }),
        TimeProvider.System);

    protected override Task OverwriteVersionAsync(IIndexStore store, string key, IndexVersion version, byte[] bytes) =>
        File.WriteAllBytesAsync(Path.Combine(_root, key, "versions", version.Id + ".mossidx"), bytes);

    protected override async Task AppendRawLogAsync(IIndexStore store, string key, string segment, byte[] bytes)
    {
        await using var file = new FileStream(Path.Combine(_root, key, "wal", segment + ".log"), FileMode.Append);
        await file.WriteAsync(bytes);
    }

    protected override int CountVersions(IIndexStore store, string key) =>
        Directory.GetFiles(Path.Combine(_root, key, "versions"), "*.mossidx").Length;

    [Fact]
    public async Task Nothing_but_complete_files_is_left_after_a_publish()
    {
        var store = CreateStore();
        await store.PublishAsync("tests/tidy", new byte[] { 1, 2, 3 }, PublishPrecondition.None, default);
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }
}
