using System.Linq.Expressions;
using System.Reflection;

namespace MossGrains.Runtime.Metadata;

/// <summary>How a call may interleave with other calls of the same activation.</summary>
internal enum InterleaveKind
{
    /// <summary>Runs alone.</summary>
    Exclusive,

    /// <summary>Runs alongside other [ReadOnly] calls.</summary>
    ReadOnly,

    /// <summary>Runs alongside anything.</summary>
    Always,
}

/// <summary>
/// One method of a grain interface: its wire id, interleaving rule, how to invoke it on a grain
/// and how to turn the boxed result back into the declared return type for the caller.
/// </summary>
internal sealed class GrainMethod
{
    private static readonly Task<object?> CompletedNull = Task.FromResult<object?>(null);

    private GrainMethod(GrainInterfaceMetadata owner, MethodInfo method, ushort id)
    {
        Interface = owner;
        Method = method;
        Id = id;
        var parameters = method.GetParameters();
        ParameterTypes = [.. parameters.Select(p => p.ParameterType)];
        CancellationTokenIndex = ParameterTypes.Length > 0 && ParameterTypes[^1] == typeof(CancellationToken) ? ParameterTypes.Length - 1 : -1;
        WireParameterTypes = CancellationTokenIndex >= 0 ? ParameterTypes[..^1] : ParameterTypes;
        Interleave = method.IsDefined(typeof(AlwaysInterleaveAttribute)) ? InterleaveKind.Always
            : method.IsDefined(typeof(ReadOnlyAttribute)) ? InterleaveKind.ReadOnly
            : InterleaveKind.Exclusive;
        var returnType = method.ReturnType;
        ResultType = returnType.IsGenericType ? returnType.GetGenericArguments()[0] : typeof(void);
        Invoker = BuildInvoker(method, ParameterTypes);
        ResultAdapter = BuildResultAdapter(returnType);
    }

    public GrainInterfaceMetadata Interface { get; }

    public MethodInfo Method { get; }

    public ushort Id { get; }

    public Type[] ParameterTypes { get; }

    /// <summary>The parameters sent over the wire (all but a trailing CancellationToken).</summary>
    public Type[] WireParameterTypes { get; }

    /// <summary>Index of the trailing CancellationToken parameter, or -1.</summary>
    public int CancellationTokenIndex { get; }

    public InterleaveKind Interleave { get; }

    /// <summary>The T of Task&lt;T&gt;/ValueTask&lt;T&gt;; typeof(void) for Task/ValueTask.</summary>
    public Type ResultType { get; }

    /// <summary>Calls the method on a grain instance and returns its boxed result.</summary>
    public Func<object, object?[], Task<object?>> Invoker { get; }

    /// <summary>Turns the boxed result task into the method's declared return type.</summary>
    public Func<Task<object?>, object> ResultAdapter { get; }

    public override string ToString() => $"{Interface.InterfaceType.Name}.{Method.Name}";

    internal static GrainMethod Create(GrainInterfaceMetadata owner, MethodInfo method, ushort id)
    {
        var returnType = method.ReturnType;
        bool supported = returnType == typeof(Task) || returnType == typeof(ValueTask)
            || (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)));
        if (!supported)
        {
            throw new ArgumentException($"Grain method {method.DeclaringType?.FullName}.{method.Name} must return Task, Task<T>, ValueTask or ValueTask<T>, not {returnType.Name}.", nameof(method));
        }

        if (method.IsGenericMethodDefinition)
        {
            throw new ArgumentException($"Grain method {method.DeclaringType?.FullName}.{method.Name} must not be generic.", nameof(method));
        }

        if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
        {
            throw new ArgumentException($"Grain method {method.DeclaringType?.FullName}.{method.Name} must not have ref, in or out parameters.", nameof(method));
        }

        return new GrainMethod(owner, method, id);
    }

    private static Func<object, object?[], Task<object?>> BuildInvoker(MethodInfo method, Type[] parameterTypes)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var arguments = parameterTypes.Select((t, i) => (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), t));
        var call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, arguments);
        var returnType = method.ReturnType;
        MethodInfo box = returnType == typeof(Task) ? GetHelper(nameof(BoxTask))
            : returnType == typeof(ValueTask) ? GetHelper(nameof(BoxValueTask))
            : returnType.GetGenericTypeDefinition() == typeof(Task<>) ? GetHelper(nameof(BoxTaskOf)).MakeGenericMethod(returnType.GetGenericArguments())
            : GetHelper(nameof(BoxValueTaskOf)).MakeGenericMethod(returnType.GetGenericArguments());
        return Expression.Lambda<Func<object, object?[], Task<object?>>>(Expression.Call(box, call), grain, args).Compile();
    }

    private static Func<Task<object?>, object> BuildResultAdapter(Type returnType)
    {
        if (returnType == typeof(Task))
        {
            return static t => t;
        }

        if (returnType == typeof(ValueTask))
        {
            return static t => new ValueTask(t);
        }

        var definition = returnType.GetGenericTypeDefinition();
        var helper = GetHelper(definition == typeof(Task<>) ? nameof(AdaptTaskOf) : nameof(AdaptValueTaskOf))
            .MakeGenericMethod(returnType.GetGenericArguments());
        return helper.CreateDelegate<Func<Task<object?>, object>>();
    }

    private static MethodInfo GetHelper(string name) =>
        typeof(GrainMethod).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    private static Task<object?> BoxTask(Task task) =>
        task.IsCompletedSuccessfully ? CompletedNull : AwaitTask(task);

    private static async Task<object?> AwaitTask(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static Task<object?> BoxValueTask(ValueTask task) =>
        task.IsCompletedSuccessfully ? CompletedNull : AwaitTask(task.AsTask());

    private static Task<object?> BoxTaskOf<T>(Task<T> task) =>
        task.IsCompletedSuccessfully ? Task.FromResult<object?>(task.Result) : AwaitTaskOf(task);

    private static async Task<object?> AwaitTaskOf<T>(Task<T> task) => await task.ConfigureAwait(false);

    private static Task<object?> BoxValueTaskOf<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? Task.FromResult<object?>(task.Result) : AwaitTaskOf(task.AsTask());

    private static Task<T> AdaptTaskOf<T>(Task<object?> task) => CastResult<T>(task);

#pragma warning disable CA1859 // Boxed on purpose: the proxy returns it through an object-typed delegate.
    private static object AdaptValueTaskOf<T>(Task<object?> task) => new ValueTask<T>(CastResult<T>(task));
#pragma warning restore CA1859

    private static Task<T> CastResult<T>(Task<object?> task) =>
        task.IsCompletedSuccessfully ? Task.FromResult((T)task.Result!) : AwaitCast<T>(task);

    private static async Task<T> AwaitCast<T>(Task<object?> task) => (T)(await task.ConfigureAwait(false))!;
}
