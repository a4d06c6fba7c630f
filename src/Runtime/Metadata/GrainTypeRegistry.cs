using System.Collections.Concurrent;
using System.Reflection;

namespace MossGrains.Runtime.Metadata;

/// <summary>
/// Knows every grain interface (by CLR type and by alias) and, on silos, which class implements
/// each one. Grain ids name the interface alias; each interface has exactly one implementation.
/// </summary>
internal sealed class GrainTypeRegistry
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceMetadata> interfaces = new();
    private readonly ConcurrentDictionary<string, GrainInterfaceMetadata> byAlias = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GrainClassMetadata> implementations = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IEnumerable<GrainAssembly> assemblies)
    {
        foreach (var assembly in assemblies.Select(a => a.Assembly).Distinct())
        {
            foreach (var type in assembly.GetExportedTypes())
            {
                if (type.IsInterface && typeof(IGrainWithStringKey).IsAssignableFrom(type) && type != typeof(IGrainWithStringKey) && !type.IsGenericTypeDefinition)
                {
                    GetInterface(type);
                }
                else if (type.IsClass && !type.IsAbstract && typeof(Grain).IsAssignableFrom(type))
                {
                    AddImplementation(type);
                }
            }
        }
    }

    public GrainInterfaceMetadata GetInterface(Type interfaceType)
    {
        if (interfaces.TryGetValue(interfaceType, out var existing))
        {
            return existing;
        }

        var created = interfaces.GetOrAdd(interfaceType, GrainInterfaceMetadata.Create);
        var aliased = byAlias.GetOrAdd(created.TypeAlias, created);
        if (aliased.InterfaceType != interfaceType)
        {
            throw new InvalidOperationException($"Grain interfaces {aliased.InterfaceType.FullName} and {interfaceType.FullName} share the grain type alias '{created.TypeAlias}'.");
        }

        return created;
    }

    public GrainInterfaceMetadata GetInterface(string typeAlias) =>
        byAlias.TryGetValue(typeAlias, out var metadata)
            ? metadata
            : throw new InvalidOperationException($"Unknown grain type '{typeAlias}': register its assembly with AddGrains.");

    public GrainClassMetadata GetImplementation(string typeAlias) =>
        implementations.TryGetValue(typeAlias, out var metadata)
            ? metadata
            : throw new InvalidOperationException($"No grain class implements grain type '{typeAlias}' on this silo: register its assembly with AddGrains.");

    public bool HasImplementation(string typeAlias) => implementations.ContainsKey(typeAlias);

    private void AddImplementation(Type grainClass)
    {
        var metadata = new GrainClassMetadata(grainClass);
        foreach (var grainInterface in grainClass.GetInterfaces().Where(i => typeof(IGrainWithStringKey).IsAssignableFrom(i) && i != typeof(IGrainWithStringKey)))
        {
            var alias = GetInterface(grainInterface).TypeAlias;
            if (implementations.TryGetValue(alias, out var other) && other.GrainClass != grainClass)
            {
                throw new InvalidOperationException($"Grain type '{alias}' is implemented by both {other.GrainClass.FullName} and {grainClass.FullName}; each grain interface needs exactly one class.");
            }

            implementations[alias] = metadata;
        }
    }
}

/// <summary>An assembly registered with AddGrains: its public grain interfaces and classes are registered.</summary>
internal sealed record GrainAssembly(Assembly Assembly);
