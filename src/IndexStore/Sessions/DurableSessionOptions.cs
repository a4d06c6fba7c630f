using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;

namespace MossGrains.IndexStore.Sessions;

/// <summary>How sessions are opened, logged and checkpointed (the silo binds it from configuration section <c>Moss:Sessions</c>).</summary>
public sealed class DurableSessionOptions
{
    /// <summary>Model of a new session whose caller names none. Default <c>moss-default</c> (the engine's default model).</summary>
    public string DefaultModel { get; set; } = Engine.Embedding.EmbedderCatalog.DefaultAlias;

    /// <summary>Durability of a session whose caller names none. Default <see cref="SessionDurability.Checkpoint"/>.</summary>
    public SessionDurability DefaultDurability { get; set; } = SessionDurability.Checkpoint;

    /// <summary>Checkpoint (and Acknowledged) sessions push when this long has passed since their last push with writes pending. Default 30 s.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>…or when this many writes are pending, whichever comes first. Default 1,000.</summary>
    public int CheckpointWrites { get; set; } = 1_000;

    /// <summary>
    /// How long a call waits for a session (or a loaded index) that is still hydrating from the store before it fails
    /// with <see cref="HydrationPendingException"/> (HTTP 503 with <c>Retry-After</c>); the hydration itself goes on.
    /// Default 20 s, under Orleans' 30 s response timeout, so a caller hears "still loading" rather than a timeout.
    /// </summary>
    public TimeSpan HydrationWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Engine limits and tuning of every session index. Default: the engine's defaults.</summary>
    public SessionIndexOptions Index { get; set; } = new();

    public void Validate()
    {
        if (CheckpointInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, "CheckpointInterval must be positive.");
        }

        if (HydrationWait <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HydrationWait), HydrationWait, "HydrationWait must be positive.");
        }

        if (CheckpointWrites < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointWrites), CheckpointWrites, "CheckpointWrites must be at least 1.");
        }
    }
}
