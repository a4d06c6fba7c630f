using System.Reflection;
using MossGrains.Runtime.Metadata;

namespace MossGrains.Runtime;

/// <summary>
/// The proxy behind every grain reference (a <see cref="DispatchProxy"/> implementing the grain
/// interface). A call becomes an invocation of (grain id, method id, arguments) on the runtime;
/// the trailing CancellationToken argument, if any, flows to the grain.
/// </summary>
public class GrainReference : DispatchProxy
{
    private GrainInterfaceMetadata metadata = null!;
    private IGrainCallInvoker invoker = null!;

    /// <summary>The grain this reference names.</summary>
    public GrainId GrainId { get; private set; }

    public override string ToString() => $"GrainReference:{GrainId}";

    internal static object Create(GrainInterfaceMetadata metadata, GrainId grainId, IGrainCallInvoker invoker)
    {
        var proxy = (GrainReference)Create(metadata.InterfaceType, typeof(GrainReference));
        proxy.metadata = metadata;
        proxy.invoker = invoker;
        proxy.GrainId = grainId;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var method = metadata.GetMethod(targetMethod);
        args ??= [];
        var cancellationToken = method.CancellationTokenIndex >= 0 ? (CancellationToken)args[method.CancellationTokenIndex]! : default;
        return method.ResultAdapter(invoker.InvokeAsync(GrainId, method, args, cancellationToken));
    }
}

/// <summary>Sends one grain call wherever its activation is (or will be) and returns the boxed result.</summary>
internal interface IGrainCallInvoker
{
    Task<object?> InvokeAsync(GrainId target, GrainMethod method, object?[] args, CancellationToken cancellationToken);
}

/// <summary>Helpers on grain references.</summary>
public static class GrainReferenceExtensions
{
    /// <summary>The grain id behind a grain reference.</summary>
    public static GrainId GetGrainId(this IGrain grain) => grain switch
    {
        GrainReference reference => reference.GrainId,
        Grain instance => instance.GrainId,
        _ => throw new ArgumentException("Not a grain reference or grain instance.", nameof(grain)),
    };

    /// <summary>The string key of a grain reference.</summary>
    public static string GetPrimaryKeyString(this IGrainWithStringKey grain) => grain.GetGrainId().Key;
}
