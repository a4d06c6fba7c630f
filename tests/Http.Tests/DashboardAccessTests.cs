using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace MossGrains.Http.Tests;

/// <summary>The Orleans Dashboard shows the whole cluster: it opens to an operator's key only, never to a project's.</summary>
[Collection(HttpSiloGroup.Name)]
public sealed class DashboardAccessTests(HttpSiloFixture silo)
{
    [Fact]
    public async Task Without_a_key_the_browser_is_asked_for_one()
    {
        using var response = await silo.Client(null).GetAsync(new Uri("/dashboard/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData(HttpSiloFixture.AcmeKey)]
    [InlineData(HttpSiloFixture.GlobexKey)]
    public async Task A_projects_key_does_not_open_it(string projectKey)
    {
        using var header = await silo.Client(projectKey).GetAsync(new Uri("/dashboard/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, header.StatusCode);
        using var basic = await Basic(projectKey).GetAsync(new Uri("/dashboard/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
    }

    [Fact]
    public async Task An_operators_key_opens_the_dashboard_and_its_data()
    {
        var operatorClient = Basic(HttpSiloFixture.OperatorKey);
        using var page = await operatorClient.GetAsync(new Uri("/dashboard/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Orleans", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private HttpClient Basic(string password)
    {
        var client = silo.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:" + password)));
        return client;
    }
}
