using System.Net;
using MossGrains.Testing;

namespace MossGrains.Http.Tests;

/// <summary>
/// With no key configured: a cluster silo refuses to start unless told to run open; a single node runs open and says so.
/// With project keys but no operator key, the dashboard is closed.
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
}
