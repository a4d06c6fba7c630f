using Microsoft.Extensions.DependencyInjection;
using MossGrains.Runtime.GrainDirectory;
using MossGrains.Runtime.Providers.InMemory;
using MossGrains.Runtime.Tests.Infrastructure;

namespace MossGrains.Runtime.Tests.ProgrammingModel;

/// <summary>
/// Two in-process silos sharing one directory store. The first silo's registration is held at a
/// gate while the second silo activates the same grain, so the first loses the race deterministically.
/// </summary>
public sealed class DuplicateActivationTests
{
    [Fact]
    public async Task ActivationThatLosesTheDirectoryRace_ForwardsItsQueuedCallsToTheWinner()
    {
        string key = $"dup-{Guid.NewGuid():N}";
        var store = new InMemoryGrainDirectory();
        var gated = new GatedDirectory(store, key);
        await using var winner = await LocalSilo.StartAsync(configure: s => s.Services.AddSingleton<IGrainDirectory>(store));
        await using var loser = await LocalSilo.StartAsync(configure: s => s.Services.AddSingleton<IGrainDirectory>(gated));

        // Two calls through the losing silo: the first starts an activation there, which waits at the gate to register.
        var first = loser.GrainFactory.GetGrain<ILifecycleGrain>(key).IncrementAsync();
        await gated.Entered.Task;
        var second = loser.GrainFactory.GetGrain<ILifecycleGrain>(key).IncrementAsync();

        // Meanwhile the other silo activates the grain and registers first.
        Assert.Equal(1, await winner.GrainFactory.GetGrain<ILifecycleGrain>(key).IncrementAsync());
        gated.Release.SetResult();

        // The loser's queued calls are answered by the winner's activation; the loser never ran OnActivateAsync.
        Assert.Equal([2, 3], (await Task.WhenAll(first, second)).Order());
        Assert.Equal(4, await winner.GrainFactory.GetGrain<ILifecycleGrain>(key).IncrementAsync());
        Assert.Equal(["activate"], Probe.Entries(key));
    }

    /// <summary>Holds registrations of one key until released; everything else goes straight to the store.</summary>
    private sealed class GatedDirectory(IGrainDirectory store, string gatedKey) : IGrainDirectory
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous, CancellationToken cancellationToken)
        {
            if (address.GrainId.Key == gatedKey)
            {
                Entered.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await store.RegisterAsync(address, previous, cancellationToken);
        }

        public Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken) => store.LookupAsync(grainId, cancellationToken);

        public Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken) => store.UnregisterAsync(address, cancellationToken);

        public Task UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken) => store.UnregisterSilosAsync(silos, cancellationToken);
    }
}
