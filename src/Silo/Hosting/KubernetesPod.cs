using System.Net;
using Orleans.Configuration;

namespace MossGrains.Silo.Hosting;

/// <summary>
/// What a silo in a Kubernetes pod takes from its pod (deploy/k8s/silo.yaml sets it through the downward API), checked
/// before Orleans starts so a manifest mistake names the variable instead of failing inside the Kubernetes client.
/// </summary>
internal static class KubernetesPod
{
    /// <summary>Set by Kubernetes in every container: the way to tell a pod from a developer's machine.</summary>
    public const string ServiceHostVariable = "KUBERNETES_SERVICE_HOST";

    private static readonly string[] Required = ["POD_NAME", "POD_NAMESPACE", "POD_IP"];

    public static bool IsRunningInPod(IConfiguration configuration) => !string.IsNullOrEmpty(configuration[ServiceHostVariable]);

    /// <summary>
    /// Refuses a pod without the variables Orleans' Kubernetes hosting reads, and Orleans ids (<c>ORLEANS_SERVICE_ID</c>,
    /// <c>ORLEANS_CLUSTER_ID</c>, which that hosting applies over ours) that differ from <c>Moss:Silo</c>'s: the service id
    /// also names this cluster's blob containers, so the two must agree.
    /// </summary>
    public static void Validate(IConfiguration configuration, MossSiloOptions options)
    {
        if (Required.FirstOrDefault(v => string.IsNullOrEmpty(configuration[v])) is { } missing)
        {
            throw new InvalidOperationException(
                $"Kubernetes hosting (Moss:Silo:KubernetesHosting) needs the environment variable {missing}; set {string.Join(", ", Required)} from the pod's fields (deploy/k8s/silo.yaml).");
        }

        if (!IPAddress.TryParse(configuration["POD_IP"], out _))
        {
            throw new InvalidOperationException($"POD_IP '{configuration["POD_IP"]}' is not an IP address; set it from the pod's status.podIP.");
        }

        Agree(configuration["ORLEANS_SERVICE_ID"], options.ServiceId, "ORLEANS_SERVICE_ID", "Moss:Silo:ServiceId");
        Agree(configuration["ORLEANS_CLUSTER_ID"], options.ClusterId, "ORLEANS_CLUSTER_ID", "Moss:Silo:ClusterId");
    }

    /// <summary>Orleans' Kubernetes hosting: pod name as silo name, pod IP advertised, listening on every address.</summary>
    public static void Configure(ISiloBuilder silo, IConfiguration configuration, MossSiloOptions options)
    {
        var podIp = IPAddress.Parse(configuration["POD_IP"]!);
        silo.Configure<EndpointOptions>(o =>
        {
            // Set here rather than left to the hosting package: without it the silo advertised the machine's first address.
            o.AdvertisedIPAddress = podIp;
            o.SiloPort = options.SiloPort;
            o.GatewayPort = options.GatewayPort;
        });
        silo.UseKubernetesHosting();
    }

    private static void Agree(string? orleans, string moss, string orleansName, string mossName)
    {
        if (!string.IsNullOrEmpty(orleans) && !string.Equals(orleans, moss, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{orleansName} ('{orleans}') differs from {mossName} ('{moss}'); set both from the same pod label.");
        }
    }
}
