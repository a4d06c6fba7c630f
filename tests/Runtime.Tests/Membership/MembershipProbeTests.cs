using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Providers.InMemory;
using Xunit.Abstractions;

namespace MossGrains.Runtime.Tests.Membership;

/// <summary>The HTTP/2 probe endpoint and client against a real Kestrel endpoint.</summary>
public sealed class MembershipProbeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_silo_answers_probes_for_its_own_generation_only_while_active()
    {
        var table = new InMemoryMembershipTable();
        await using var silo = await MembershipTestSilo.StartAsync(table, MembershipOptions.ForTests(), output, "probed");
        using var client = new HttpMembershipProbeClient();
        var address = silo.Address!;

        Assert.True(await client.ProbeAsync(address, Timeout, default));
        Assert.False(await client.ProbeAsync(address with { Generation = address.Generation + 1 }, Timeout, default));

        await silo.Service.BeginLeaveAsync(default);
        Assert.False(await client.ProbeAsync(address, Timeout, default));
        Assert.Equal(SiloStatus.ShuttingDown, (await table.ReadAllAsync(default)).Rows.Single().Entry.Status);
    }

    [Fact]
    public async Task A_probe_of_a_closed_endpoint_fails_fast()
    {
        await using var silo = await MembershipTestSilo.StartAsync(new InMemoryMembershipTable(), MembershipOptions.ForTests(), output, "closed");
        await silo.StopEndpointAsync();
        using var client = new HttpMembershipProbeClient();
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(await client.ProbeAsync(silo.Address!, Timeout, default));
        Assert.True(started.Elapsed < Timeout, $"took {started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_probe_of_a_hung_silo_is_a_miss_after_the_timeout()
    {
        // An endpoint that accepts the HTTP/2 request and never answers, like a stopped process.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        await using var app = builder.Build();
        var requestSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.MapGet("/moss/membership/probe", async (HttpContext context) =>
        {
            requestSeen.TrySetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, context.RequestAborted);
        });
        await app.StartAsync();
        int port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        using var client = new HttpMembershipProbeClient();
        var timeout = TimeSpan.FromMilliseconds(300);
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(await client.ProbeAsync(new SiloAddress("127.0.0.1", port, 1), timeout, default));
        Assert.True(requestSeen.Task.IsCompleted);
        Assert.InRange(started.Elapsed, timeout * 0.9, Timeout);
    }

    [Fact]
    public async Task A_table_changed_notification_makes_the_silo_read_the_table()
    {
        var table = new InMemoryMembershipTable();
        var options = MembershipOptions.ForTests();
        options.TableRefreshPeriod = TimeSpan.FromHours(1);
        await using var silo = await MembershipTestSilo.StartAsync(table, options, output, "notified");
        var other = new SiloAddress("127.0.0.1", 1, 1);
        var data = await table.ReadAllAsync(default);
        var now = DateTimeOffset.UtcNow;
        Assert.True(await table.InsertRowAsync(new MembershipEntry(other, "other", SiloStatus.Joining, now, now, []), data.Version.Next(), default));

        using var client = new HttpMembershipProbeClient();
        await client.NotifyTableChangedAsync(silo.Address!, Timeout, default);
        await silo.Service.WaitUntilAsync(v => v.GetStatus(other) == SiloStatus.Joining, Timeout, "the silo sees the new row");
    }
}
