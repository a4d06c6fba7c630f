using System.Collections.Concurrent;

namespace MossGrains.Runtime.Serialization.Codecs;

/// <summary>Cached type ⇄ name mapping for type tags: full name for core-library types, assembly-qualified otherwise.</summary>
internal static class TypeNames
{
    private static readonly ConcurrentDictionary<Type, string> Names = new();
    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    public static string GetName(Type type) => Names.GetOrAdd(type, static t =>
        (t.Assembly == typeof(object).Assembly ? t.FullName : t.AssemblyQualifiedName)
        ?? throw new ArgumentException($"Type '{t}' has no name that can be sent (open generic or generic parameter).", nameof(type)));

    public static Type? Resolve(string name) => Types.GetOrAdd(name, static n => Type.GetType(n, throwOnError: false));
}

/// <summary>Finds the grain interface of a grain reference whose converter does not say.</summary>
internal static class GrainInterfaces
{
    private static readonly ConcurrentDictionary<Type, Type> Cache = new();

    /// <summary>The most derived interface of the reference's type (ties broken by name, so every process picks the same).</summary>
    public static Type Find(Type referenceType) => Cache.GetOrAdd(referenceType, static t =>
    {
        var interfaces = t.GetInterfaces();
        return interfaces
            .Where(candidate => !interfaces.Any(other => other != candidate && candidate.IsAssignableFrom(other)))
            .OrderBy(candidate => candidate.FullName, StringComparer.Ordinal)
            .FirstOrDefault()
            ?? throw new ArgumentException($"Grain reference type '{t}' implements no interface.", nameof(referenceType));
    });
}
