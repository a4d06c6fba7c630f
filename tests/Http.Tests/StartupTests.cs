using System.Diagnostics;
using System.Net;
using MossGrains.Testing;

namespace MossGrains.Http.Tests;

/// <summary>
/// With no key configured: a cluster silo refuses to start unless told to run open; a single node runs open and says so.
/// With project keys but no operator key, the dashboard is closed. A quota that cannot be is refused at start.
/// </summary>
public sealed class StartupTests
{
    [Fact]
    public async Task A_cluster_silo_without_keys_refuses_to_start_naming_the_setting()
    {
        // The check runs before the silo touches storage, so no Azurite is needed to see the refusal.
        var refused = await Assert.ThrowsAsync<TimeoutException>(() => SiloProcess.StartAsync("no-keys", "UseDevelopmentStorage=true", "nokeys",
            new Dictionary<string, string> { ["Moss:Http:AllowAnonymous"] = "false" }));
        Assert.Contains("exited", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Moss:Http:AllowAnonymous=true", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_node_without_keys_runs_open_and_logs_it()
    {
        await using var silo = await SiloProcess.StartLocalhostAsync("open");
        await silo.Process.WaitForLineAsync(l => l.Contains("The HTTP API is OPEN", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = silo.HttpBase };
        var count = await Api.GetAsync(http, "/v1/projects/default/sessions/anyone/doc_count");
        Assert.Equal(0, (int)count["doc_count"]!);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/dashboard/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task With_project_keys_and_no_operator_key_the_dashboard_is_closed_naming_the_setting()
    {
        await using var silo = await SiloProcess.StartLocalhostAsync("no-operator", new Dictionary<string, string> { ["Moss:Http:Projects:acme:Keys:0"] = "k" });
        using var http = new HttpClient { BaseAddress = silo.HttpBase };
        http.DefaultRequestHeaders.Add("X-Moss-Key", "k");
        var (status, problem, _) = await Api.SendAsync(http, HttpMethod.Get, "/dashboard/");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Moss:Http:OperatorKeys", (string)problem!["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quota_below_one_refuses_to_start_naming_the_setting()
    {
        var refused = await Assert.ThrowsAsync<TimeoutException>(() => SiloProcess.StartLocalhostAsync("bad-limit",
            new Dictionary<string, string> { ["Moss:Limits:Projects:acme:MaxSessions"] = "0" }));
        Assert.Contains("exited", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Moss:Limits:Projects:acme:MaxSessions is 0; a limit is at least 1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_hosting_outside_a_pod_refuses_to_start_naming_the_missing_pod_variable()
    {
        var refused = await Assert.ThrowsAsync<TimeoutException>(() => SiloProcess.StartAsync("k8s-no-pod", "UseDevelopmentStorage=true", "k8snopod",
            new Dictionary<string, string> { ["Moss:Silo:KubernetesHosting"] = "true" }));
        Assert.Contains("exited", refused.Message, StringComparison.Ordinal);
        Assert.Contains("needs the environment variable POD_NAME", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_hosting_names_the_silo_after_its_pod_advertises_the_pod_ip_and_needs_the_in_cluster_api()
    {
        // The pod variables are set but this is no pod: Orleans' Kubernetes agent is created, takes the pod's name and
        // address, and then fails for want of the in-cluster API. That failure is what shows the package is wired in.
        int siloPort = FreePort.OnLoopback();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Directory.CreateTempSubdirectory("moss-k8s-").FullName };
        start.ArgumentList.Add(TestPaths.AppBesideTests("MossGrains.Silo.dll", "src/Silo"));
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Moss__Silo__Clustering"] = "AzureStorage",
            ["Moss__Silo__StorageConnectionString"] = "UseDevelopmentStorage=true",
            ["Moss__Silo__KubernetesHosting"] = "true",
            ["Moss__Silo__SiloPort"] = $"{siloPort}",
            ["Moss__Silo__GatewayPort"] = $"{FreePort.OnLoopback()}",
            ["Moss__Http__AllowAnonymous"] = "true",
            ["Urls"] = $"http://127.0.0.1:{FreePort.OnLoopback()}",
            ["POD_NAME"] = "mossgrains-7d9f-x2k4q",
            ["POD_NAMESPACE"] = "moss",
            ["POD_IP"] = "127.0.0.2",
        })
        {
            start.Environment[key] = value;
        }

        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        await using var silo = ChildProcess.Start(start, "silo k8s");
        await silo.Exited.WaitAsync(TimeSpan.FromSeconds(60));
        string output = string.Join('\n', silo.Lines);
        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("Starting silo mossgrains-7d9f-x2k4q", output, StringComparison.Ordinal);
        Assert.Contains($"at 127.0.0.2:{siloPort}", output, StringComparison.Ordinal);
        Assert.Contains("Unable to load in-cluster configuration", output, StringComparison.Ordinal);
    }
}
