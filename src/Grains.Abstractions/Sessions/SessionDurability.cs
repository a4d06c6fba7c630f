namespace MossGrains.Grains.Sessions;

/// <summary>How much of a session survives the loss of the process holding it (docs/sessions.md).</summary>
[GenerateSerializer]
[Alias("moss.SessionDurability")]
public enum SessionDurability
{
    /// <summary>Memory only until <c>PushIndexAsync</c>: the fastest writes; lost with the activation.</summary>
    Ephemeral = 0,

    /// <summary>Pushed on deactivation (idle or graceful shutdown) and every N seconds or N writes; a crash loses at most the writes since the last checkpoint.</summary>
    Checkpoint = 1,

    /// <summary>Every AddDocs/DeleteDocs is in the store's write-ahead log before it returns; replayed on activation. Nothing acknowledged is lost.</summary>
    Acknowledged = 2,
}
