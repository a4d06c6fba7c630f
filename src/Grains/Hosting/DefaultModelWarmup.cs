using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Engine.Embedding;
using MossGrains.IndexStore.Sessions;

namespace MossGrains.Grains;

/// <summary>
/// Loads the default model while the silo starts, so the first session to open here — after a failover, say — does not
/// pay for reading (and, for int8 models, quantizing) the model; the silo reports ready only once it can embed.
/// </summary>
internal sealed partial class DefaultModelWarmup(EmbedderCatalog catalog, IOptions<DurableSessionOptions> options, TimeProvider time, ILogger<DefaultModelWarmup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var model = await Task.Run(() => catalog.Resolve(options.Value.DefaultModel), cancellationToken);
        LogLoaded(logger, model?.Info.ModelId ?? EmbedderCatalog.CustomModelId, time.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Information, "Default model {ModelId} loaded in {Milliseconds:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string modelId, double milliseconds);
}
