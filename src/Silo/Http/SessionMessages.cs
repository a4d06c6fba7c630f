using MossGrains.Grains.Sessions;

namespace MossGrains.Silo.Http;

/// <summary><c>{"model_id": "moss-minilm", "durability": "acknowledged"}</c>, both optional: how a session opens (create-or-resume).</summary>
public sealed class OpenSessionBody
{
    public string? ModelId { get; init; }

    public SessionDurability? Durability { get; init; }
}
