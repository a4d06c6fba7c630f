using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MossGrains.Grains.FileStorage;

/// <summary>
/// Orleans grain storage in a local folder, for a single node: one file per grain state
/// (<c>{root}/{state name}/{grain id}</c>), replaced atomically (<see cref="AtomicFile"/>), with Orleans' ETag semantics: a
/// write or clear that does not start from the stored ETag fails with <see cref="InconsistentStateException"/>. Several
/// silos must not share one folder (use a shared store such as Azure Blob for a cluster).
/// </summary>
public sealed partial class FileGrainStorage(string name, FileGrainStorageOptions options, IActivatorProvider activators, ILogger<FileGrainStorage> logger) : IGrainStorage
{
    // Writers of one file are serialized (an ETag check and its write are one step); stripes keep the lock table bounded.
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string path = PathOf(stateName, grainId);
        try
        {
            var record = await AtomicFile.ReadAsync(path, cancellationToken);
            var state = record is null ? default : options.GrainStorageSerializer.Deserialize<T>(record.Payload);
            grainState.State = state ?? activators.GetActivator<T>().Create();
            grainState.ETag = record?.ETag;
            grainState.RecordExists = record is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, name, "read", path);
            throw;
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string path = PathOf(stateName, grainId);
        var payload = options.GrainStorageSerializer.Serialize(grainState.State);
        await UnderLockAsync(path, grainState.ETag, async () =>
        {
            string etag = Guid.NewGuid().ToString("N");
            await AtomicFile.WriteAsync(path, etag, payload.ToMemory(), cancellationToken);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }, cancellationToken);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string path = PathOf(stateName, grainId);
        await UnderLockAsync(path, grainState.ETag, () =>
        {
            AtomicFile.Delete(path);
            grainState.ETag = null;
            grainState.RecordExists = false;
            grainState.State = activators.GetActivator<T>().Create();
            return Task.CompletedTask;
        }, cancellationToken);
    }

    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(options.RootDirectory, FileNames.For(stateName), FileNames.For(grainId.ToString()));

    /// <summary>Runs <paramref name="change"/> if the stored ETag is <paramref name="expected"/> (null: no record), else throws <see cref="InconsistentStateException"/>.</summary>
    private async Task UnderLockAsync(string path, string? expected, Func<Task> change, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(path) % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            // A record that does not verify fails the write too: it is left for an operator to look at, never overwritten blind.
            string? stored = (await AtomicFile.ReadAsync(path, cancellationToken))?.ETag;
            if (!string.Equals(stored, expected, StringComparison.Ordinal))
            {
                throw new InconsistentStateException(
                    $"Grain storage '{name}': {path} is at ETag '{stored ?? "(none)"}', the writer started from '{expected ?? "(none)"}'; another activation wrote it since.",
                    stored, expected);
            }

            await change();
        }
        catch (Exception e) when (e is not (OperationCanceledException or InconsistentStateException))
        {
            LogFailed(logger, e, name, "write", path);
            throw;
        }
        finally
        {
            stripe.Release();
        }
    }

    [LoggerMessage(1, LogLevel.Error, "Grain storage {Name}: {Operation} of {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string name, string operation, string path);
}
