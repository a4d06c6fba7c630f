using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using MossGrains.IndexStore.Log;
using MossGrains.IndexStore.Versions;

namespace MossGrains.IndexStore.AzureBlob;

/// <summary>
/// Index binaries in Azure Blob Storage (or Azurite): block blobs <c>{key}/versions/{id}.mossidx</c> written once
/// (If-None-Match: *) with a Content-MD5 the service checks, the pointer <c>{key}/latest.json</c> moved by ETag
/// compare-and-swap (it also holds the owner epoch), and the write-ahead log as append blobs <c>{key}/wal/{segment}.log</c>,
/// sealed (the service's own append-blob seal) when another session copy takes ownership.
/// </summary>
public sealed class AzureBlobIndexStore : IIndexStore
{
    private readonly AzureBlobIndexStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly BlobContainerClient _container;
    private Task? _created;

    public AzureBlobIndexStore(IOptions<AzureBlobIndexStoreOptions> options, TimeProvider time)
    {
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.ConnectionString))
        {
            throw new OptionsValidationException(nameof(AzureBlobIndexStoreOptions), typeof(AzureBlobIndexStoreOptions),
                ["AzureBlobIndexStoreOptions.ConnectionString is required (an Azure Storage account's or Azurite's connection string)."]);
        }

        _time = time;
        _container = new BlobServiceClient(_options.ConnectionString).GetBlobContainerClient(_options.ContainerName);
    }

    public async Task<IndexVersion?> GetLatestAsync(string key, CancellationToken cancellationToken) =>
        (await ReadPointerAsync(key, cancellationToken)).Pointer.Version;

    public async Task<LatestPointer> GetPointerAsync(string key, CancellationToken cancellationToken) =>
        (await ReadPointerAsync(key, cancellationToken)).Pointer;

    public async Task<LatestPointer> ClaimOwnershipAsync(string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (pointer, etag) = await ReadPointerAsync(key, cancellationToken);
            var claimed = pointer with { Owner = pointer.Owner + 1 };
            if (await TryWritePointerAsync(key, claimed, etag, cancellationToken))
            {
                return claimed;
            }
        }
    }

    public async Task<byte[]> ReadVersionAsync(string key, IndexVersion version, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        BlobDownloadStreamingResult download;
        try
        {
            download = (await _container.GetBlobClient(VersionPath(key, version.Id)).DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new Engine.Persistence.IndexFormatException($"Version {version.Id} of '{key}' named by its latest pointer is missing from container {_container.Name}.", e);
        }

        using (download)
        {
            return await VersionPointer.ReadVerifiedAsync(download.Content, download.Details.ContentLength, key, version, cancellationToken);
        }
    }

    public async Task<IndexVersion> PublishAsync(string key, ReadOnlyMemory<byte> binary, PublishPrecondition precondition, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        var now = _time.GetUtcNow();
        string id = IndexVersion.NewId(now);
        var blob = _container.GetBlockBlobClient(VersionPath(key, id));
#pragma warning disable CA5351 // Content-MD5 is the transfer-integrity check the Blob service verifies, not a security use
        byte[] md5 = MD5.HashData(binary.Span);
#pragma warning restore CA5351
        string sha = VersionPointer.Sha256Of(binary.Span);
        await blob.UploadAsync(new BinaryData(binary).ToStream(), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentHash = md5, ContentType = "application/octet-stream" },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            Metadata = new Dictionary<string, string> { ["sha256"] = sha },
        }, cancellationToken);

        var stored = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        if (stored.ContentLength != binary.Length || stored.ContentHash is null || !stored.ContentHash.AsSpan().SequenceEqual(md5))
        {
            throw new IOException($"Version {id} of '{key}' did not verify after upload ({stored.ContentLength} of {binary.Length} bytes); the latest pointer was left alone.");
        }

        var version = new IndexVersion(id, 0, binary.Length, sha, now);
        while (true)
        {
            var (pointer, etag) = await ReadPointerAsync(key, cancellationToken);
            try
            {
                precondition.Check(key, pointer);
            }
            catch (VersionConflictException)
            {
                await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
                throw;
            }

            var published = version with { Sequence = (pointer.Version?.Sequence ?? 0) + 1 };
            if (await TryWritePointerAsync(key, new LatestPointer(published, pointer.Owner), etag, cancellationToken))
            {
                await PruneAsync(key, published, cancellationToken);
                return published;
            }

            // Another publisher (or an owner claim) moved the pointer between our read and write: read it again.
        }
    }

    /// <summary>Writes the pointer if it is still the one read with <paramref name="etag"/> (null: if there is none yet).</summary>
    private async Task<bool> TryWritePointerAsync(string key, LatestPointer pointer, ETag? etag, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(PointerPath(key)).UploadAsync(new BinaryData(pointer.ToJson()), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Conditions = etag is { } match ? new BlobRequestConditions { IfMatch = match } : new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task CreateLogAsync(string key, string segment, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        await _container.GetAppendBlobClient(LogPath(key, segment)).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public async Task AppendLogAsync(string key, string segment, ReadOnlyMemory<byte> record, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        var log = _container.GetAppendBlobClient(LogPath(key, segment));
        byte[] frame = LogFraming.Frame(record.Span);
        int block = log.AppendBlobMaxAppendBlockBytes;
        for (int offset = 0; offset < frame.Length; offset += block)
        {
            var part = new ReadOnlyMemory<byte>(frame, offset, Math.Min(block, frame.Length - offset));
            try
            {
                await AppendBlockAsync(log, part, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404 || e.ErrorCode == "BlobIsSealed")
            {
                // Never created here: a segment that is gone was replayed and deleted by the copy that owns the session now.
                throw new LogSealedException(key, segment, e);
            }
        }
    }

    public async Task SealLogAsync(string key, string segment, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        try
        {
            await _container.GetAppendBlobClient(LogPath(key, segment)).SealAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Nothing to seal.
        }
    }

    public async Task<IReadOnlyList<string>> ListLogsAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        string prefix = $"{Checked(key)}/wal/";
        var segments = new List<string>();
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            if (item.Name.EndsWith(".log", StringComparison.Ordinal))
            {
                segments.Add(item.Name[prefix.Length..^".log".Length]);
            }
        }

        return segments;
    }

    private static async Task AppendBlockAsync(AppendBlobClient log, ReadOnlyMemory<byte> part, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(part.ToArray(), writable: false);
        await log.AppendBlockAsync(stream, cancellationToken: cancellationToken);
    }

    public async Task<LogReadResult> ReadLogAsync(string key, string segment, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        try
        {
            var download = await _container.GetBlobClient(LogPath(key, segment)).DownloadContentAsync(cancellationToken);
            return LogFraming.Unframe(download.Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return LogReadResult.Empty;
        }
    }

    public async Task DeleteLogAsync(string key, string segment, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        await _container.GetBlobClient(LogPath(key, segment)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    private async Task<(LatestPointer Pointer, ETag? ETag)> ReadPointerAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync();
        try
        {
            var download = await _container.GetBlobClient(PointerPath(key)).DownloadContentAsync(cancellationToken);
            return (LatestPointer.FromJson(download.Value.Content.ToMemory().Span, key), download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (LatestPointer.None, null);
        }
    }

    private async Task PruneAsync(string key, IndexVersion latest, CancellationToken cancellationToken)
    {
        string prefix = $"{key}/versions/";
        var ids = new List<string>();
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            ids.Add(Path.GetFileNameWithoutExtension(item.Name[prefix.Length..]));
        }

        foreach (string id in VersionPointer.Prunable(ids, latest.Id, _options.KeepVersions, _time.GetUtcNow(), _options.PruneGrace))
        {
            await _container.GetBlobClient(VersionPath(key, id)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>Creates the container once; a failed attempt (the account unreachable at start) is tried again by the next call.</summary>
    private Task EnsureContainerAsync()
    {
        var created = Volatile.Read(ref _created);
        if (created is null or { IsFaulted: true } or { IsCanceled: true })
        {
            var attempt = _container.CreateIfNotExistsAsync();
            created = Interlocked.CompareExchange(ref _created, attempt, created) == created ? attempt : Volatile.Read(ref _created)!;
        }

        return created;
    }

    private static string PointerPath(string key) => $"{Checked(key)}/latest.json";

    private static string VersionPath(string key, string id) => $"{Checked(key)}/versions/{id}.mossidx";

    private static string LogPath(string key, string segment) => $"{Checked(key)}/wal/{segment}.log";

    private static string Checked(string key)
    {
        _ = Grains.Naming.IndexKey.Parse(key);
        return key;
    }
}
