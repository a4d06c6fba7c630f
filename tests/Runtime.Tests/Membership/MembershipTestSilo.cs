using System.Net;
using Microsoft.AspNetCore.Builder;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Membership;
using MossGrains.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MossGrains.Runtime.Tests.Membership;

/// <summary>
/// A silo reduced to its membership part: a real Kestrel HTTP/2 endpoint on a free loopback port
/// that serves the probe endpoints, and a <see cref="MembershipService"/> on a shared table.
/// </summary>
internal sealed class MembershipTestSilo : IAsyncDisposable
{
    private static long _lastGeneration = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private readonly HttpMembershipProbeClient _probes = new();
    private WebApplication? _app;
    private bool _disposed;

    private MembershipTestSilo(IMembershipTable table, MembershipOptions options, ITestOutputHelper output, string name)
    {
        Name = name;
        Service = new MembershipService(
            table,
            _probes,
            () => Address ?? throw new InvalidOperationException("The endpoint has not started."),
            name,
            options,
            TimeProvider.System,
            new TestOutputLogger<MembershipService>(output, name));
    }

    public string Name { get; }

    public MembershipService Service { get; }

    public SiloAddress? Address { get; private set; }

    /// <summary>Starts the endpoint only; <paramref name="beforeJoin"/> runs with the address known, then the silo joins unless told not to.</summary>
    public static async Task<MembershipTestSilo> StartAsync(
        IMembershipTable table, MembershipOptions options, ITestOutputHelper output, string name, Func<SiloAddress, Task>? beforeJoin = null)
    {
        var silo = new MembershipTestSilo(table, options, output, name);
        var (app, port) = await Http2Endpoint.StartAsync(IPAddress.Loopback, 0, web => web.MapMembershipProbe(silo.Service), CancellationToken.None);
        silo._app = app;
        silo.Address = new SiloAddress("127.0.0.1", port, Interlocked.Increment(ref _lastGeneration));
        if (beforeJoin is not null)
        {
            await beforeJoin(silo.Address);
        }

        await silo.Service.JoinAsync(CancellationToken.None);
        return silo;
    }

    /// <summary>The endpoint disappears (connections refused) while the membership service keeps running.</summary>
    public async Task StopEndpointAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>As if the process died: the endpoint goes and the service stops without writing anything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopEndpointAsync();
        await Service.DisposeAsync();
        _probes.Dispose();
    }
}

internal static class MembershipViewWaiting
{
    /// <summary>Completes when <paramref name="view"/>'s snapshot satisfies <paramref name="condition"/>, driven by Changed events.</summary>
    public static async Task WaitUntilAsync(this IClusterMembershipView view, Func<ClusterMembershipSnapshot, bool> condition, TimeSpan timeout, string what)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(ClusterMembershipSnapshot snapshot)
        {
            if (condition(snapshot))
            {
                reached.TrySetResult();
            }
        }

        view.Changed += OnChanged;
        try
        {
            if (condition(view.Current))
            {
                return;
            }

            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Not reached within {timeout.TotalSeconds} s: {what}. Last view: {view.Current}");
        }
        finally
        {
            view.Changed -= OnChanged;
        }
    }
}
