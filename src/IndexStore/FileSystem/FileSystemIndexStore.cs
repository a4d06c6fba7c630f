using Microsoft.Extensions.Options;
using MossGrains.IndexStore.Log;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.FileSystem;

/// <summary>
/// Index binaries in a local folder: <c>{root}/{project}/{name}/versions/{id}.mossidx</c>, the pointer
/// <c>latest.json</c> and log segments <c>wal/{segment}.log</c>. Every file is written to a temporary name, fsync'd and
/// renamed into place (atomic on one filesystem); pointer moves are serialised by an exclusive lock file, so they are
/// compare-and-swap across processes too. Log appends are fsync'd before they return, each under its segment's lock
/// file; a seal writes the marker <c>wal/{segment}.log.sealed</c> under the same lock, and appends check for it.
/// </summary>
public sealed class FileSystemIndexStore : IIndexStore
{
    private const string PointerFile = "latest.json";
    private const string VersionExtension = ".mossidx";
    private const string LogExtension = ".log";
    private const string SealedMarker = ".sealed";
    private readonly FileSystemIndexStoreOptions _options;
    private readonly TimeProvider _time;

    public FileSystemIndexStore(IOptions<FileSystemIndexStoreOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        Root = Path.GetFullPath(_options.RootDirectory);
    }

    public string Root { get; }

    public async Task<IndexVersion?> GetLatestAsync(string key, CancellationToken cancellationToken) =>
        (await GetPointerAsync(key, cancellationToken)).Version;

    public async Task<LatestPointer> GetPointerAsync(string key, CancellationToken cancellationToken)
    {
        string path = Path.Combine(KeyDirectory(key), PointerFile);
        try
        {
            return LatestPointer.FromJson(await File.ReadAllBytesAsync(path, cancellationToken), key);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return LatestPointer.None;
        }
    }

    public async Task<LatestPointer> ClaimOwnershipAsync(string key, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(KeyDirectory(key));
        await using (await LockAsync(Path.Combine(KeyDirectory(key), "latest.lock"), cancellationToken))
        {
            var pointer = await GetPointerAsync(key, cancellationToken);
            var claimed = pointer with { Owner = pointer.Owner + 1 };
            await WriteDurablyAsync(Path.Combine(KeyDirectory(key), PointerFile), claimed.ToJson(), cancellationToken);
            return claimed;
        }
    }

    public async Task<byte[]> ReadVersionAsync(string key, IndexVersion version, CancellationToken cancellationToken)
    {
        string path = VersionPath(key, version.Id);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new Engine.Persistence.IndexFormatException($"Version {version.Id} of '{key}' named by its latest pointer is missing ({path}).", e);
        }

        await using (file)
        {
            return await VersionPointer.ReadVerifiedAsync(file, file.Length, key, version, cancellationToken);
        }
    }

    public async Task<IndexVersion> PublishAsync(string key, ReadOnlyMemory<byte> binary, PublishPrecondition precondition, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        string id = IndexVersion.NewId(now);
        string versions = Path.Combine(KeyDirectory(key), "versions");
        Directory.CreateDirectory(versions);
        await WriteDurablyAsync(VersionPath(key, id), binary, cancellationToken);
        var version = new IndexVersion(id, 0, binary.Length, VersionPointer.Sha256Of(binary.Span), now);
        _ = await ReadVersionAsync(key, version, cancellationToken); // what landed on disk is what was written

        IndexVersion published;
        await using (await LockAsync(Path.Combine(KeyDirectory(key), "latest.lock"), cancellationToken))
        {
            var pointer = await GetPointerAsync(key, cancellationToken);
            try
            {
                precondition.Check(key, pointer);
            }
            catch (VersionConflictException)
            {
                File.Delete(VersionPath(key, id));
                throw;
            }

            published = version with { Sequence = (pointer.Version?.Sequence ?? 0) + 1 };
            await WriteDurablyAsync(Path.Combine(KeyDirectory(key), PointerFile), new LatestPointer(published, pointer.Owner).ToJson(), cancellationToken);
        }

        Prune(key, published);
        return published;
    }

    public Task CreateLogAsync(string key, string segment, CancellationToken cancellationToken)
    {
        string path = LogPath(key, segment);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
        {
        }

        return Task.CompletedTask;
    }

    public async Task AppendLogAsync(string key, string segment, ReadOnlyMemory<byte> record, CancellationToken cancellationToken)
    {
        string path = LogPath(key, segment);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (await LockAsync(path + ".lock", cancellationToken))
        {
            FileStream file;
            try
            {
                if (File.Exists(path + SealedMarker))
                {
                    throw new LogSealedException(key, segment);
                }

                file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 4096, FileOptions.Asynchronous);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new LogSealedException(key, segment, e);
            }

            await using (file)
            {
                file.Seek(0, SeekOrigin.End);
                await file.WriteAsync(LogFraming.Frame(record.Span), cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
        }
    }

    public async Task SealLogAsync(string key, string segment, CancellationToken cancellationToken)
    {
        string path = LogPath(key, segment);
        if (!File.Exists(path))
        {
            return;
        }

        // Under the segment's lock: an append in progress finishes first, every later one sees the marker.
        await using (await LockAsync(path + ".lock", cancellationToken))
        {
            await WriteDurablyAsync(path + SealedMarker, ReadOnlyMemory<byte>.Empty, cancellationToken);
        }
    }

    public Task<IReadOnlyList<string>> ListLogsAsync(string key, CancellationToken cancellationToken)
    {
        string wal = Path.Combine(KeyDirectory(key), "wal");
        IReadOnlyList<string> segments = Directory.Exists(wal)
            ? [.. Directory.EnumerateFiles(wal, "*" + LogExtension).Select(f => Path.GetFileName(f)[..^LogExtension.Length])]
            : [];
        return Task.FromResult(segments);
    }

    public async Task<LogReadResult> ReadLogAsync(string key, string segment, CancellationToken cancellationToken)
    {
        try
        {
            return LogFraming.Unframe(await File.ReadAllBytesAsync(LogPath(key, segment), cancellationToken));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return LogReadResult.Empty;
        }
    }

    public async Task DeleteLogAsync(string key, string segment, CancellationToken cancellationToken)
    {
        string path = LogPath(key, segment);
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            return;
        }

        await using (await LockAsync(path + ".lock", cancellationToken))
        {
            File.Delete(path);
            File.Delete(path + SealedMarker);
        }

        File.Delete(path + ".lock");
    }

    private string KeyDirectory(string key)
    {
        var (project, name) = Grains.Naming.IndexKey.Parse(key);
        return Path.Combine(Root, project, name);
    }

    private string VersionPath(string key, string id) => Path.Combine(KeyDirectory(key), "versions", id + VersionExtension);

    private string LogPath(string key, string segment) => Path.Combine(KeyDirectory(key), "wal", segment + LogExtension);

    private static async Task WriteDurablyAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await file.WriteAsync(bytes, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>An exclusive lock file (an OS file lock, so other processes wait too) around a pointer move or a log append.</summary>
    private async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                // Held by another writer; pointer moves and appends take milliseconds.
                await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken);
            }
        }
    }

    private void Prune(string key, IndexVersion latest)
    {
        string versions = Path.Combine(KeyDirectory(key), "versions");
        var ids = Directory.EnumerateFiles(versions, "*" + VersionExtension).Select(Path.GetFileNameWithoutExtension).OfType<string>();
        foreach (string id in VersionPointer.Prunable(ids, latest.Id, _options.KeepVersions, _time.GetUtcNow(), _options.PruneGrace).ToList())
        {
            File.Delete(VersionPath(key, id));
        }
    }
}
