using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Metadata;

namespace MossGrains.Runtime.Catalog;

/// <summary>
/// The activations living on this silo: creates them on demand, removes them when they
/// deactivate, and collects the ones that stayed idle longer than their class's age.
/// </summary>
internal sealed class Catalog(GrainRuntime runtime, GrainTypeRegistry registry, IOptions<GrainCollectionOptions> collectionOptions) : IDisposable
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> activations = new();
    private readonly GrainCollectionOptions options = collectionOptions.Value;
    private ITimer? collector;
    private volatile bool stopping;

    public int ActivationCount => activations.Count;

    public bool TryGetActivation(GrainId grainId, out ActivationData activation) =>
        activations.TryGetValue(grainId, out activation!);

    /// <summary>The local activation of <paramref name="grainId"/>, created if needed; null while the silo stops.</summary>
    public ActivationData? GetOrCreateActivation(GrainId grainId)
    {
        if (activations.TryGetValue(grainId, out var existing))
        {
            return existing;
        }

        if (stopping)
        {
            return null;
        }

        var candidate = new ActivationData(grainId, registry.GetImplementation(grainId.Type), runtime);
        var actual = activations.GetOrAdd(grainId, candidate);
        if (ReferenceEquals(actual, candidate))
        {
            _ = candidate.ActivateAsync(CancellationToken.None);
        }

        return actual;
    }

    public void Remove(ActivationData activation) =>
        activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    public void StartCollector()
    {
        if (options.CollectionQuantum <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(collectionOptions), options.CollectionQuantum, "GrainCollectionOptions.CollectionQuantum must be positive.");
        }

        collector = runtime.TimeProvider.CreateTimer(static state => ((Catalog)state!).CollectIdle(), this, options.CollectionQuantum, options.CollectionQuantum);
    }

    /// <summary>Deactivates every activation idle for longer than its collection age.</summary>
    public void CollectIdle()
    {
        var now = runtime.TimeProvider.GetUtcNow();
        foreach (var activation in activations.Values)
        {
            if (activation.IsIdleFor(GetCollectionAge(activation.ClassMetadata), now))
            {
                _ = activation.RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ActivationIdle, "The activation was idle."));
            }
        }
    }

    /// <summary>Stops creating activations and deactivates all of them (OnDeactivateAsync runs).</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        collector?.Dispose();
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down.");
        await Task.WhenAll(activations.Values.Select(a => a.RequestDeactivation(reason))).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => collector?.Dispose();

    private TimeSpan GetCollectionAge(GrainClassMetadata metadata) =>
        options.ClassSpecificCollectionAge.TryGetValue(metadata.GrainClass.FullName!, out var age) ? age
        : metadata.CollectionAge ?? options.CollectionAge;
}
