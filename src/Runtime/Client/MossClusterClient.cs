using System.Reflection;
using MossGrains.Runtime.Messaging;
using MossGrains.Runtime.Metadata;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime.Client;

/// <summary>Settings of an external cluster client.</summary>
public sealed class MossClusterClientOptions
{
    /// <summary>Silo endpoints (host:port) the client sends calls to; any silo routes them on. Required.</summary>
    public IList<string> Gateways { get; } = [];

    /// <summary>A call that has no response after this long fails with <see cref="TimeoutException"/>. Default: 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Builds a <see cref="MossClusterClient"/>: gateways, grain interface assemblies, options.</summary>
public sealed class MossClusterClientBuilder
{
    private readonly MossClusterClientOptions options = new();
    private readonly List<Assembly> assemblies = [];
    private TimeProvider timeProvider = TimeProvider.System;

    /// <summary>Adds a gateway silo endpoint.</summary>
    public MossClusterClientBuilder UseGateway(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        options.Gateways.Add($"{host}:{port}");
        return this;
    }

    /// <summary>Registers the grain interfaces of <paramref name="assembly"/>.</summary>
    public MossClusterClientBuilder AddGrainInterfaces(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        assemblies.Add(assembly);
        return this;
    }

    public MossClusterClientBuilder Configure(Action<MossClusterClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(options);
        return this;
    }

    public MossClusterClientBuilder UseTimeProvider(TimeProvider provider)
    {
        timeProvider = provider ?? throw new ArgumentNullException(nameof(provider));
        return this;
    }

    public MossClusterClient Build()
    {
        if (options.Gateways.Count == 0)
        {
            throw new InvalidOperationException("MossClusterClientOptions.Gateways is empty: add at least one gateway silo with UseGateway(host, port).");
        }

        return new MossClusterClient(options, assemblies, timeProvider);
    }
}

/// <summary>
/// A client outside the cluster: grain references whose calls go over HTTP/2 to a gateway silo,
/// which routes them to the activation. If a gateway is unreachable the next one is tried.
/// </summary>
public sealed class MossClusterClient : IGrainFactory, IDisposable
{
    private readonly GrainFactory factory;
    private readonly RemoteCallClient remote;

    internal MossClusterClient(MossClusterClientOptions options, IEnumerable<Assembly> assemblies, TimeProvider timeProvider)
    {
        var registry = new GrainTypeRegistry(assemblies.Append(typeof(IRemindable).Assembly).Select(a => new GrainAssembly(a)));
        var invoker = new GatewayCallInvoker([.. options.Gateways], options.ResponseTimeout, timeProvider);
        factory = new GrainFactory(registry, () => invoker);
        remote = new RemoteCallClient(new MessageCodec(new BinaryMessageSerializer(factory), registry));
        invoker.Remote = remote;
    }

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey => factory.GetGrain<TGrainInterface>(key);

    public void Dispose() => remote.Dispose();

    private sealed class GatewayCallInvoker(string[] gateways, TimeSpan responseTimeout, TimeProvider timeProvider) : IGrainCallInvoker
    {
        private int next;

        public RemoteCallClient Remote { get; set; } = null!;

        public async Task<object?> InvokeAsync(GrainId target, GrainMethod method, object?[] args, CancellationToken cancellationToken)
        {
            using var timeout = new CancellationTokenSource(responseTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                for (int attempt = 0; ; attempt++)
                {
                    string gateway = gateways[(int)((uint)Interlocked.Increment(ref next) % (uint)gateways.Length)];
                    try
                    {
                        var response = await Remote.SendAsync(gateway, 0, target, method, args, CallFlags.None, 0, linked.Token).ConfigureAwait(false);
                        if (response.Status == ResponseStatus.Ok)
                        {
                            return response.Result;
                        }

                        if (response.Status == ResponseStatus.Exception)
                        {
                            throw response.Exception!;
                        }
                    }
                    catch (SiloUnreachableException) when (!linked.IsCancellationRequested)
                    {
                    }

                    // Unreachable or refusing gateway: try the next one, pausing after a full round.
                    if ((attempt + 1) % gateways.Length == 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 << Math.Min(attempt / gateways.Length, 5))), timeProvider, linked.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The call {method} on {target} did not complete within {responseTimeout}.");
            }
        }
    }
}
