using System.Reflection;

namespace MossGrains.Runtime.Metadata;

/// <summary>
/// A grain interface: its stable type alias and its methods. Method ids are positions in the
/// methods sorted by name and parameter type names, so every process built from the same
/// interface agrees on them.
/// </summary>
internal sealed class GrainInterfaceMetadata
{
    private readonly Dictionary<MethodInfo, GrainMethod> byMethodInfo = [];

    private GrainInterfaceMetadata(Type interfaceType)
    {
        InterfaceType = interfaceType;
        TypeAlias = interfaceType.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? interfaceType.FullName!;
        var methods = new[] { interfaceType }
            .Concat(interfaceType.GetInterfaces())
            .Where(t => t != typeof(IGrain) && t != typeof(IGrainWithStringKey) && t != typeof(IRemindable))
            .SelectMany(t => t.GetMethods())
            .OrderBy(MethodSortKey, StringComparer.Ordinal)
            .ToArray();
        if (interfaceType.GetInterfaces().Append(interfaceType).Any(t => t.GetProperties().Length > 0 || t.GetEvents().Length > 0))
        {
            throw new ArgumentException($"Grain interface {interfaceType.FullName} must declare only methods (no properties or events).", nameof(interfaceType));
        }

        if (methods.Length >= ReminderMethodId)
        {
            throw new ArgumentException($"Grain interface {interfaceType.FullName} has more than {ReminderMethodId - 1} methods.", nameof(interfaceType));
        }

        ReminderMethod = GrainMethod.Create(this, typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder))!, ReminderMethodId);
        byMethodInfo[ReminderMethod.Method] = ReminderMethod;
        Methods = new GrainMethod[methods.Length];
        for (int i = 0; i < methods.Length; i++)
        {
            var method = GrainMethod.Create(this, methods[i], (ushort)i);
            Methods[i] = method;
            byMethodInfo[methods[i]] = method;
        }
    }

    public Type InterfaceType { get; }

    public string TypeAlias { get; }

    /// <summary>Method id of <see cref="IRemindable.ReceiveReminder"/>, callable on every grain type whose class is remindable.</summary>
    public const ushort ReminderMethodId = ushort.MaxValue;

    public GrainMethod[] Methods { get; }

    public GrainMethod ReminderMethod { get; }

    public GrainMethod GetMethod(MethodInfo method) => byMethodInfo[method];

    public GrainMethod GetMethod(ushort id) =>
        id < Methods.Length ? Methods[id] : id == ReminderMethodId ? ReminderMethod : throw new InvalidOperationException($"Grain interface {TypeAlias} has no method id {id}.");

    internal static GrainInterfaceMetadata Create(Type interfaceType)
    {
        if (!interfaceType.IsInterface || !typeof(IGrainWithStringKey).IsAssignableFrom(interfaceType))
        {
            throw new ArgumentException($"{interfaceType.FullName} is not a grain interface (an interface deriving from IGrainWithStringKey).", nameof(interfaceType));
        }

        if (interfaceType.IsGenericTypeDefinition)
        {
            throw new ArgumentException($"Grain interface {interfaceType.FullName} must not be an open generic type.", nameof(interfaceType));
        }

        return new GrainInterfaceMetadata(interfaceType);
    }

    private static string MethodSortKey(MethodInfo method) =>
        $"{method.DeclaringType!.FullName}.{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.FullName))})";
}
