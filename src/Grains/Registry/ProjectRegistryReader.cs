using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MossGrains.Grains.Registry;

/// <summary>
/// Reads registries straight from grain storage, without calling their grains: a list answers from storage even while the
/// silo holding a registry grain is dead or hung. The grains write; storage holds every acknowledged change.
/// </summary>
public sealed class ProjectRegistryReader(IGrainFactory grains, [FromKeyedServices(MossGrainStorage.Name)] IGrainStorage storage)
{
    public async Task<RegistryState> ReadAsync(string project, CancellationToken cancellationToken)
    {
        var state = new GrainState<RegistryState>();
        await storage.ReadStateAsync(ProjectRegistryGrain.StateName, grains.GetGrain<IProjectRegistryGrain>(project).GetGrainId(), state, cancellationToken);
        return state.State ?? new RegistryState();
    }

    public async Task<IReadOnlyCollection<string>> ProjectsAsync(CancellationToken cancellationToken)
    {
        var state = new GrainState<ProjectDirectoryState>();
        await storage.ReadStateAsync(ProjectDirectoryGrain.StateName, grains.GetGrain<IProjectDirectoryGrain>(IProjectDirectoryGrain.Key).GetGrainId(), state, cancellationToken);
        return state.State?.Projects ?? [];
    }
}
