using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MossGrains.Runtime.Catalog;
using MossGrains.Runtime.GrainDirectory;
using MossGrains.Runtime.Hosting;
using MossGrains.Runtime.Metadata;
using MossGrains.Runtime.Placement;

namespace MossGrains.Runtime.Messaging;

/// <summary>
/// Routes grain calls made on a silo (by grains, by the co-hosted client, or arriving from a
/// client through this silo as gateway). A call to a local activation is queued on it directly,
/// with no serialization. Otherwise the directory says where the activation lives, or placement
/// picks a silo for a new one; a remote silo is called over HTTP/2. A silo that cannot be reached
/// or refuses the call makes the router look again, until the call's timeout.
/// </summary>
internal sealed class SiloCallRouter(
    Catalog.Catalog catalog,
    LocalGrainDirectory directory,
    PlacementService placement,
    RemoteCallClient remote,
    GrainTypeRegistry registry,
    LocalSiloDetails localSilo,
    TimeProvider timeProvider,
    IOptions<MessagingOptions> options,
    ILogger<SiloCallRouter> logger) : IGrainCallInvoker
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);
    private readonly TimeSpan responseTimeout = options.Value.ResponseTimeout;

    public Task<object?> InvokeAsync(GrainId target, GrainMethod method, object?[] args, CancellationToken cancellationToken)
    {
        if (catalog.TryGetActivation(target, out var activation))
        {
            var call = new GrainCallWorkItem(method, args, 0, cancellationToken);
            if (activation.TryEnqueue(call))
            {
                var completion = call.Completion;
                return completion.IsCompleted ? completion : completion.WaitAsync(responseTimeout, timeProvider, cancellationToken);
            }
        }

        return InvokeRoutedAsync(target, method, args, cancellationToken);
    }

    /// <summary>A call that arrived over HTTP/2 from another silo or a client.</summary>
    public Task<object?> HandleInboundAsync(CallRequest request, CancellationToken cancellationToken)
    {
        if (request.TargetGeneration != 0 && request.TargetGeneration != localSilo.SiloAddress.Generation)
        {
            throw new CallRejectedException($"This endpoint now runs generation {localSilo.SiloAddress.Generation}, not {request.TargetGeneration}.");
        }

        if (catalog.TryGetActivation(request.Target, out _) || request.Flags.HasFlag(CallFlags.ActivateHere))
        {
            return DeliverLocallyAsync(request.Target, request.Method, request.Arguments, request.ForwardCount, cancellationToken);
        }

        return RouteAsync(request.Target, request.Method, request.Arguments, request.ForwardCount, cancellationToken);
    }

    /// <summary>Finds (or places) the activation and delivers the call, retrying through the directory.</summary>
    public async Task<object?> RouteAsync(GrainId target, GrainMethod method, object?[] args, int forwardCount, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (catalog.TryGetActivation(target, out var existing))
            {
                var call = new GrainCallWorkItem(method, args, forwardCount, cancellationToken);
                if (existing.TryEnqueue(call))
                {
                    return await call.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            var address = await directory.LookupAsync(target, cancellationToken).ConfigureAwait(false);
            SiloAddress silo;
            if (address is not null && directory.IsAlive(address.Silo))
            {
                silo = address.Silo;
            }
            else
            {
                if (address is not null)
                {
                    directory.Invalidate(address);
                }

                silo = placement.Place(target, registry.GetImplementation(target.Type).Placement);
            }

            if (silo == localSilo.SiloAddress)
            {
                try
                {
                    return await DeliverLocallyAsync(target, method, args, forwardCount, cancellationToken).ConfigureAwait(false);
                }
                catch (CallRejectedException) when (address is not null)
                {
                    directory.Invalidate(address);
                    continue;
                }
            }

            try
            {
                var response = await remote.SendAsync(silo.Endpoint, silo.Generation, target, method, args, CallFlags.ActivateHere, forwardCount, cancellationToken).ConfigureAwait(false);
                placement.ReportLoad(silo, response.SiloActivationCount);
                switch (response.Status)
                {
                    case ResponseStatus.Ok:
                        return response.Result;
                    case ResponseStatus.Exception:
                        throw response.Exception!;
                }

                // Rejected: the silo is stopping or restarted; look again.
                if (address is not null)
                {
                    directory.Invalidate(address);
                }

                await Task.Delay(RetryDelay(attempt), timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (SiloUnreachableException)
            {
                logger.SiloUnreachable(silo, target);
                if (address is not null)
                {
                    directory.Invalidate(address);
                }

                await Task.Delay(RetryDelay(attempt), timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 25 * (1 << Math.Min(attempt, 10))));

    private async Task<object?> DeliverLocallyAsync(GrainId target, GrainMethod method, object?[] args, int forwardCount, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            var activation = catalog.GetOrCreateActivation(target)
                ?? throw new CallRejectedException($"Silo {localSilo.SiloAddress} is stopping.");
            var call = new GrainCallWorkItem(method, args, forwardCount, cancellationToken);
            if (activation.TryEnqueue(call))
            {
                return await call.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // The activation was just removed; the next one is created on the next pass.
            if (attempt > 100)
            {
                throw new CallRejectedException($"No stable activation of {target} on {localSilo.SiloAddress}.");
            }
        }
    }

    private async Task<object?> InvokeRoutedAsync(GrainId target, GrainMethod method, object?[] args, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(responseTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await RouteAsync(target, method, args, 0, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The call {method} on {target} did not complete within {responseTimeout}.");
        }
    }
}
