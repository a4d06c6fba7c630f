using MossGrains.Grains.Sessions;

namespace MossGrains.Grains.Sessions;

/// <summary>
/// What a session grain persists in grain storage besides its index: the model and durability its opener chose, so
/// that a reactivation (after idle deactivation or failover) reached by key alone keeps them.
/// </summary>
[GenerateSerializer]
[Alias("moss.SessionSettingsState")]
public sealed class SessionSettingsState
{
    [Id(0)]
    public string? ModelId { get; set; }

    [Id(1)]
    public SessionDurability? Durability { get; set; }
}
