using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace MossGrains.Runtime.Serialization.Codecs;

/// <summary>
/// Builds and caches one codec per type and one slot per declared type. Lookups are lock-free;
/// building takes a lock so a graph of mutually referencing types is published only when complete.
/// </summary>
internal sealed class CodecRegistry
{
    private static readonly Type[] ListInterfaces =
    [
        typeof(IEnumerable<>), typeof(IReadOnlyList<>), typeof(IReadOnlyCollection<>), typeof(IList<>), typeof(ICollection<>),
    ];

    private static readonly Type[] SetInterfaces = [typeof(ISet<>), typeof(IReadOnlySet<>)];

    private static readonly Type[] DictionaryInterfaces = [typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>)];

    private readonly ConcurrentDictionary<Type, Codec> _codecs = new();
    private readonly ConcurrentDictionary<Type, Slot> _slots = new();
    private readonly Lock _gate = new();
    // Codecs and slots made during the outermost GetCodec call; published together only when it succeeds,
    // so a lock-free lookup never sees a codec of a self-referencing type before its members are set.
    private Dictionary<Type, Codec>? _building;
    private Dictionary<Type, Slot>? _buildingSlots;

    public CodecRegistry(IGrainReferenceConverter? grainReferences)
    {
        GrainReferences = grainReferences;
        foreach (var codec in PrimitiveCodecs.All())
        {
            _codecs[codec.Type] = codec;
        }
    }

    public IGrainReferenceConverter? GrainReferences { get; }

    /// <summary>True when values declared as <paramref name="type"/> can be written without a type tag.</summary>
    public static bool HasExactCodec(Type type) =>
        !type.ContainsGenericParameters && (IsCollectionInterface(type) || (!type.IsInterface && !type.IsAbstract && type != typeof(object)));

    public static bool IsCollectionInterface(Type type) =>
        type.IsInterface && type.IsGenericType && GenericDefinitionIn(type, ListInterfaces, SetInterfaces, DictionaryInterfaces);

    public Slot GetSlot(Type declared)
    {
        if (_slots.TryGetValue(declared, out var slot))
        {
            return slot;
        }

        lock (_gate)
        {
            if (_slots.TryGetValue(declared, out slot) || (_buildingSlots?.TryGetValue(declared, out slot) ?? false))
            {
                return slot;
            }

            slot = new Slot(this, declared);
            if (_buildingSlots is not null)
            {
                return _buildingSlots.TryAdd(declared, slot) ? slot : _buildingSlots[declared];
            }

            // The constructor may have run (and published) a whole build that made this slot already.
            return _slots.GetOrAdd(declared, slot);
        }
    }

    public Codec GetCodec(Type type)
    {
        if (_codecs.TryGetValue(type, out var codec))
        {
            return codec;
        }

        lock (_gate)
        {
            if (_codecs.TryGetValue(type, out codec) || (_building?.TryGetValue(type, out codec) ?? false))
            {
                return codec;
            }

            bool outermost = _building is null;
            _building ??= [];
            _buildingSlots ??= [];
            try
            {
                codec = Create(type);
                _building[type] = codec;
                if (outermost)
                {
                    foreach (var (builtType, built) in _building)
                    {
                        _codecs[builtType] = built;
                    }

                    foreach (var (slotType, builtSlot) in _buildingSlots)
                    {
                        _slots.TryAdd(slotType, builtSlot);
                    }
                }

                return codec;
            }
            finally
            {
                if (outermost)
                {
                    // A failed build publishes nothing: its slots may point at half-built codecs.
                    _building = null;
                    _buildingSlots = null;
                }
            }
        }
    }

    private static bool GenericDefinitionIn(Type type, params Type[][] groups)
    {
        var definition = type.GetGenericTypeDefinition();
        return groups.Any(group => group.Contains(definition));
    }

    private Codec Create(Type type)
    {
        if (type.IsEnum)
        {
            return new EnumCodec(type, GetCodec(Enum.GetUnderlyingType(type)));
        }

        if (type.IsArray)
        {
            if (type.GetArrayRank() != 1 || type != type.GetElementType()!.MakeArrayType())
            {
                throw new NotSupportedException($"Type '{type}' cannot be serialized: only single-dimension zero-based arrays are supported.");
            }

            return CreateSequence(type, type.GetElementType()!, SequenceShape.Array);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(List<>) || ListInterfaces.Contains(definition))
            {
                return CreateSequence(type, arguments[0], SequenceShape.List);
            }

            if (definition == typeof(HashSet<>) || SetInterfaces.Contains(definition))
            {
                return CreateSequence(type, arguments[0], SequenceShape.Set);
            }

            if (definition == typeof(Dictionary<,>) || DictionaryInterfaces.Contains(definition))
            {
                return (Codec)Activator.CreateInstance(
                    typeof(DictionaryCodec<,>).MakeGenericType(arguments), type, GetSlot(arguments[0]), GetSlot(arguments[1]))!;
            }
        }

        RefuseUnsupported(type);
        var objectCodec = new ObjectCodec(type);
        _building![type] = objectCodec;
        objectCodec.Initialize(this);
        return objectCodec;
    }

    private Codec CreateSequence(Type type, Type element, SequenceShape shape) =>
        (Codec)Activator.CreateInstance(typeof(SequenceCodec<>).MakeGenericType(element), type, GetSlot(element), shape)!;

    private static void RefuseUnsupported(Type type)
    {
        string? reason =
            !HasExactCodec(type) ? "it is an interface, abstract or object; values are written with their runtime type" :
            typeof(Delegate).IsAssignableFrom(type) ? "delegates cannot be sent" :
            typeof(Exception).IsAssignableFrom(type) ? "exceptions travel through ExceptionEncoding, not as values" :
            typeof(MemberInfo).IsAssignableFrom(type) || type.IsPointer || type.IsByRef || type == typeof(IntPtr) || type == typeof(UIntPtr)
                ? "it is a runtime handle" :
            typeof(IEnumerable).IsAssignableFrom(type) ? "use T[], List<T>, HashSet<T>, Dictionary<K,V> or their interfaces for collections" :
            typeof(Task).IsAssignableFrom(type) ? "tasks cannot be sent" :
            null;
        if (reason is not null)
        {
            throw new NotSupportedException($"Type '{type}' cannot be serialized: {reason}.");
        }
    }
}
