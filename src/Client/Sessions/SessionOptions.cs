using MossGrains.Grains.Naming;
using MossGrains.Grains.Sessions;

namespace MossGrains.Client.Sessions;

/// <summary>How <see cref="IMossClient.SessionAsync"/> opens a session.</summary>
public sealed class SessionOptions
{
    /// <summary>Project the index lives in. Default <see cref="IndexKey.DefaultProject"/>.</summary>
    public string Project { get; init; } = IndexKey.DefaultProject;

    /// <summary>Model of a new session; null = the one it was pushed with, else the host's default. A model that differs from a pushed session's is refused.</summary>
    public string? ModelId { get; init; }

    /// <summary>Durability of the session's writes; null = what it had, else the host's default (<see cref="SessionDurability"/>).</summary>
    public SessionDurability? Durability { get; init; }
}
