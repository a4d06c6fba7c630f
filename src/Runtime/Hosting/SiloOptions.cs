namespace MossGrains.Runtime.Hosting;

/// <summary>Identity and endpoint of a silo.</summary>
public sealed class SiloOptions
{
    /// <summary>Silos with the same cluster id form one cluster. Default: "default".</summary>
    public string ClusterId { get; set; } = "default";

    /// <summary>Name shown in the membership table. Default: machine name and process id.</summary>
    public string SiloName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>IP address the silo listens on and advertises to other silos and clients. Default: 127.0.0.1.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port of the silo's HTTP/2 endpoint (silo-to-silo and client gateway); 0 picks a free port. Default: 11111.</summary>
    public int Port { get; set; } = 11111;

    /// <summary>
    /// How long <c>OnDeactivateAsync</c> may run: after this time its token is cancelled, and if it has
    /// still not finished after as long again the deactivation goes on without it, so a hanging grain
    /// cannot block shutdown. Default: 30 s.
    /// </summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Grain call settings, for silos and clients.</summary>
public sealed class MessagingOptions
{
    /// <summary>A call that has no response after this long fails with <see cref="TimeoutException"/>. Default: 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often one call may be forwarded between silos (duplicate activation, stale directory). Default: 2.</summary>
    public int MaxForwardCount { get; set; } = 2;
}

/// <summary>Idle activation collection.</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>An activation idle this long is deactivated, unless its class says otherwise. Default: 15 min.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for. Default: 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Per grain class (full name) ages; these win over [CollectionAgeLimit]. Default: empty.</summary>
    public Dictionary<string, TimeSpan> ClassSpecificCollectionAge { get; } = new(StringComparer.Ordinal);
}

/// <summary>Durable reminders.</summary>
public sealed class ReminderOptions
{
    /// <summary>Shortest allowed reminder period. Default: 1 min.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a silo re-reads the reminders of the ring ranges it owns (it also does on every membership change). Default: 5 min.</summary>
    public TimeSpan RefreshReminderListPeriod { get; set; } = TimeSpan.FromMinutes(5);
}
