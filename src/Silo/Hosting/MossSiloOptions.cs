using MossGrains.Client.Security;

namespace MossGrains.Silo.Hosting;

/// <summary>
/// How the silo runs, bound from configuration section <c>Moss:Silo</c> (appsettings.json, or environment variables
/// such as <c>Moss__Silo__Clustering=AzureStorage</c>). The defaults run one node with no external service.
/// </summary>
public sealed class MossSiloOptions
{
    public const string Section = "Moss:Silo";

    /// <summary><see cref="ClusteringMode.Localhost"/> (default: one node; index binaries, grain state and reminders in <see cref="IndexFolder"/>) or <see cref="ClusteringMode.AzureStorage"/>.</summary>
    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    /// <summary>Azure Storage connection string (an account's or Azurite's): membership and reminders in tables, grain state and index binaries in blobs. Required for <see cref="ClusteringMode.AzureStorage"/>.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>Orleans cluster id: silos with the same one form a cluster. Default <c>moss</c>.</summary>
    public string ClusterId { get; set; } = "moss";

    /// <summary>Orleans service id, also the suffix of this cluster's blob containers (<c>moss-{id}-indexes</c>, <c>moss-{id}-state</c>): lower-case letters, digits and '-'. Default <c>moss</c>.</summary>
    public string ServiceId { get; set; } = "moss";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other silos and clients reach this silo at (cluster mode). Default 127.0.0.1.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The data folder in localhost mode: index binaries, and grain state (<c>_grains</c>) and reminders (<c>_reminders</c>) so a restart forgets nothing. Default <c>moss-data</c> under the working directory.</summary>
    public string IndexFolder { get; set; } = "moss-data";

    /// <summary>Grain state in localhost mode: <c>{IndexFolder}/_grains</c> (no project or index name starts with '_').</summary>
    public string GrainStateFolder => Path.Combine(IndexFolder, "_grains");

    /// <summary>Reminders in localhost mode: <c>{IndexFolder}/_reminders</c>.</summary>
    public string RemindersFolder => Path.Combine(IndexFolder, "_reminders");

    /// <summary><see cref="FailureDetectionProfile.Fast"/> (default; docs/cluster.md gives the settings and measured failover) or Orleans' own defaults.</summary>
    public FailureDetectionProfile FailureDetection { get; set; } = FailureDetectionProfile.Fast;

    /// <summary>
    /// Orleans' Kubernetes hosting (<c>Microsoft.Orleans.Hosting.Kubernetes</c>, deploy/k8s): silo name and advertised
    /// address from the pod, silos of deleted pods declared dead at once. Null (default): on when the silo runs in a pod
    /// (Kubernetes sets <c>KUBERNETES_SERVICE_HOST</c>) in <see cref="ClusteringMode.AzureStorage"/> mode. Needs the pod's
    /// <c>POD_NAME</c>, <c>POD_NAMESPACE</c> and <c>POD_IP</c> environment variables.
    /// </summary>
    public bool? KubernetesHosting { get; set; }

    /// <summary>A session untouched this long is deactivated (flushed first, as its durability requires). Default 15 minutes.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Mutual TLS on the silo port and the gateway port (<c>Moss:Silo:Tls:Enabled</c>, <c>CertificateFile</c>,
    /// <c>KeyFile</c>, <c>CertificatePassword</c>, <c>CaCertificateFile</c>): every silo and client must present a
    /// certificate issued by the configured authority. Off by default (docs/cluster.md, "TLS").
    /// </summary>
    public MossTlsOptions Tls { get; set; } = new();

    /// <summary>Section of <see cref="Tls"/>, as the errors name its settings.</summary>
    public const string TlsSection = Section + ":Tls";

    public string IndexContainerName => $"moss-{ServiceId}-indexes";

    public string StateContainerName => $"moss-{ServiceId}-state";

    /// <summary>Refuses settings the silo cannot start with, naming the setting.</summary>
    public void Validate()
    {
        if (Clustering == ClusteringMode.AzureStorage && string.IsNullOrWhiteSpace(StorageConnectionString))
        {
            throw new InvalidOperationException("Moss:Silo:StorageConnectionString is required when Moss:Silo:Clustering is AzureStorage.");
        }

        if (ServiceId.Length is < 1 or > 40 || !ServiceId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new InvalidOperationException($"Moss:Silo:ServiceId '{ServiceId}' must be 1 to 40 lower-case letters, digits or '-' (it names blob containers).");
        }

        if (SiloPort is < 1 or > 65535 || GatewayPort is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Moss:Silo:SiloPort ({SiloPort}) and GatewayPort ({GatewayPort}) must be TCP ports (1 to 65535).");
        }

        if (KubernetesHosting == true && Clustering != ClusteringMode.AzureStorage)
        {
            throw new InvalidOperationException("Moss:Silo:KubernetesHosting=true needs Moss:Silo:Clustering=AzureStorage (Kubernetes hosting does not replace the membership table).");
        }

        Tls.Validate(TlsSection);
    }

    /// <summary>Whether Kubernetes hosting is on, given whether the process runs in a Kubernetes pod.</summary>
    public bool UsesKubernetesHosting(bool inKubernetesPod) =>
        KubernetesHosting ?? (inKubernetesPod && Clustering == ClusteringMode.AzureStorage);
}

public enum ClusteringMode
{
    Localhost,
    AzureStorage,
}

public enum FailureDetectionProfile
{
    /// <summary>Shortened probes: a dead or hung silo is declared dead in seconds (docs/cluster.md).</summary>
    Fast,

    /// <summary>Orleans' own membership defaults (tens of seconds; fewer false suspicions on a busy network).</summary>
    OrleansDefaults,
}
