using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MossGrains.Runtime.Client;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Messaging;
using MossGrains.Runtime.Tests.Infrastructure;

namespace MossGrains.Runtime.Tests.ProgrammingModel;

public sealed class CallTests
{
    [Fact]
    public async Task GrainExceptions_ReachTheCallerWithTypeAndMessage()
    {
        await using var silo = await LocalSilo.StartAsync();
        var grain = silo.GrainFactory.GetGrain<IFaultyGrain>("faulty");
        var invalid = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowAsync("bad input"));
        Assert.Equal("bad input", invalid.Message);
        var odd = await Assert.ThrowsAsync<OddException>(async () => await grain.ThrowOddAsync(7));
        Assert.Equal(7, odd.Code);
        Assert.Equal(42, await grain.EchoAsync(42)); // the activation survives its exceptions
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancellation_ReachesTheGrain_LocallyAndThroughTheGateway(bool throughGateway)
    {
        await using var silo = await LocalSilo.StartAsync();
        using var client = throughGateway
            ? new MossClusterClientBuilder().UseGateway(silo.SiloAddress.Host, silo.SiloAddress.Port).AddGrainInterfaces(typeof(IFaultyGrain).Assembly).Build()
            : null;
        IGrainFactory factory = client ?? silo.GrainFactory;
        string key = $"cancel-{throughGateway}-{Guid.NewGuid():N}";
        using var cts = new CancellationTokenSource();
        var call = factory.GetGrain<IFaultyGrain>(key).WaitForCancellationAsync(cts.Token);
        await Probe.WhenSignalled($"{key}/waiting");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await Probe.WhenSignalled($"{key}/cancelled");
    }

    [Fact]
    public async Task LocalCalls_PassArgumentsWithoutSerialisation()
    {
        await using var silo = await LocalSilo.StartAsync();
        var list = new List<int> { 1, 2, 3 };
        var returned = await silo.GrainFactory.GetGrain<IPassThroughGrain>($"local-{Guid.NewGuid():N}").ReturnAsync(list);
        Assert.Same(list, returned);
    }

    [Fact]
    public async Task CallsWithoutAResponse_TimeOut()
    {
        await using var silo = await LocalSilo.StartAsync(configure: s => s.Configure<MessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(300)));
        string key = $"hang-{Guid.NewGuid():N}";
        var grain = silo.GrainFactory.GetGrain<IFaultyGrain>(key);
        Assert.Equal(1, await grain.EchoAsync(1));
        await Assert.ThrowsAsync<TimeoutException>(() => grain.HangAsync());
        Probe.Set($"{key}/release"); // lets the activation finish the call so the silo can stop
    }

    [Fact]
    public async Task ExternalClient_CallsThroughTheGatewayOverHttp2()
    {
        await using var silo = await LocalSilo.StartAsync();
        var address = silo.SiloAddress;
        using var client = new Client.MossClusterClientBuilder()
            .UseGateway(address.Host, address.Port)
            .AddGrainInterfaces(typeof(IFaultyGrain).Assembly)
            .Build();
        var grain = client.GetGrain<IFaultyGrain>($"remote-{Guid.NewGuid():N}");
        Assert.Equal(5, await grain.EchoAsync(5));
        var invalid = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowAsync("over the wire"));
        Assert.Equal("over the wire", invalid.Message);
        var remote = await Assert.ThrowsAsync<RemoteGrainException>(async () => await grain.ThrowOddAsync(3));
        Assert.Equal(typeof(OddException).FullName, remote.ExceptionType);
        Assert.Equal("odd 3", remote.RemoteMessage);

        string key = $"client-chain-{Guid.NewGuid():N}";
        Assert.Equal(key, await client.GetGrain<IChainGrain>("c").CallOtherAsync(client.GetGrain<ILifecycleGrain>(key)));
    }

    [Fact]
    public async Task HostedExternalClient_IsTheHostsGrainFactory()
    {
        await using var silo = await LocalSilo.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseMossGrainsClient(c => c.UseGateway(silo.SiloAddress.Host, silo.SiloAddress.Port).AddGrainInterfaces(typeof(IFaultyGrain).Assembly));
        using var host = builder.Build();
        var factory = host.Services.GetRequiredService<IGrainFactory>();
        Assert.IsType<MossClusterClient>(factory);
        Assert.Equal(9, await factory.GetGrain<IFaultyGrain>($"hosted-{Guid.NewGuid():N}").EchoAsync(9));
    }

    [Fact]
    public void GetGrain_RejectsAMissingKey()
    {
        using var client = new MossClusterClientBuilder().UseGateway("127.0.0.1", 1).Build();
        Assert.Throws<ArgumentNullException>(() => client.GetGrain<IFaultyGrain>(null!));
        var empty = Assert.Throws<ArgumentException>(() => client.GetGrain<IFaultyGrain>(string.Empty));
        Assert.Equal("key", empty.ParamName);
    }

    [Fact]
    public void GrainInterfaces_WithUnsupportedMethods_AreRefusedByName()
    {
        using var client = new MossClusterClientBuilder().UseGateway("127.0.0.1", 1).Build();
        var error = Assert.Throws<ArgumentException>(() => client.GetGrain<IBadGrain>("k"));
        Assert.Contains("IBadGrain.Count", error.Message);
    }
}

// Not public, so silos built from this assembly skip it; used directly it is refused.
internal interface IBadGrain : IGrainWithStringKey
{
    int Count();
}
