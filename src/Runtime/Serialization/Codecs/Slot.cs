namespace MossGrains.Runtime.Serialization.Codecs;

/// <summary>
/// A place that holds a value of a declared type: a top-level argument, a member, an element.
/// Non-nullable value types are written bare. Everything else starts with a marker byte:
/// null, exactly the declared type, a tagged runtime type, or a grain reference.
/// </summary>
internal sealed class Slot
{
    private const byte NullMarker = 0;
    private const byte ExactMarker = 1;
    private const byte TaggedMarker = 2;
    private const byte GrainReferenceMarker = 3;
    private const byte TaggedGrainReferenceMarker = 4;

    private readonly CodecRegistry _registry;
    private readonly Type _declared;
    private readonly bool _bare;
    private readonly Codec? _exact;

    public Slot(CodecRegistry registry, Type declared)
    {
        _registry = registry;
        _declared = declared;
        var underlying = Nullable.GetUnderlyingType(declared);
        _bare = declared.IsValueType && underlying is null;
        if (underlying is not null)
        {
            _exact = registry.GetCodec(underlying);
        }
        else if (CodecRegistry.HasExactCodec(declared))
        {
            _exact = registry.GetCodec(declared);
        }
    }

    public int MinSize => _bare ? _exact!.MinSize : 1;

    public void Write(MessageWriter writer, object? value)
    {
        if (_bare)
        {
            if (value is null || value.GetType() != _declared)
            {
                throw new ArgumentException(
                    $"A value of type '{value?.GetType().ToString() ?? "null"}' cannot be written as '{_declared}'.", nameof(value));
            }

            _exact!.Write(writer, value);
            return;
        }

        if (value is null)
        {
            writer.WriteByte(NullMarker);
            return;
        }

        var runtimeType = value.GetType();
        writer.EnterObject(runtimeType);
        if (_exact is not null && (runtimeType == _exact.Type || CodecRegistry.IsCollectionInterface(_declared)))
        {
            writer.WriteByte(ExactMarker);
            _exact.Write(writer, value);
        }
        else if (_registry.GrainReferences?.TryGetGrainId(value) is { } grainId)
        {
            WriteGrainReference(writer, value, grainId);
        }
        else
        {
            if (!_declared.IsAssignableFrom(runtimeType))
            {
                throw new ArgumentException($"A value of type '{runtimeType}' cannot be written as '{_declared}'.", nameof(value));
            }

            writer.WriteByte(TaggedMarker);
            writer.WriteString(TypeNames.GetName(runtimeType));
            _registry.GetCodec(runtimeType).Write(writer, value);
        }

        writer.ExitObject();
    }

    public object? Read(MessageReader reader)
    {
        if (_bare)
        {
            return _exact!.Read(reader);
        }

        byte marker = reader.ReadByte($"the marker of a '{_declared.Name}' value");
        if (marker == NullMarker)
        {
            return null;
        }

        reader.EnterObject(_declared);
        object result;
        switch (marker)
        {
            case ExactMarker when _exact is not null:
                result = _exact.Read(reader);
                break;
            case TaggedMarker:
                var runtimeType = ReadType(reader);
                if (!CodecRegistry.HasExactCodec(runtimeType))
                {
                    throw reader.Invalid($"The payload tags a value with type '{runtimeType}', which has no encoding");
                }

                result = _registry.GetCodec(runtimeType).Read(reader);
                break;
            case GrainReferenceMarker when _declared.IsInterface:
                result = ReadGrainReference(reader, _declared);
                break;
            case TaggedGrainReferenceMarker:
                result = ReadGrainReference(reader, ReadType(reader));
                break;
            default:
                throw reader.Invalid($"The payload has an invalid marker {marker} for a value of type '{_declared}'");
        }

        reader.ExitObject();
        return result;
    }

    private void WriteGrainReference(MessageWriter writer, object value, GrainId grainId)
    {
        if (_declared.IsInterface && _declared.IsInstanceOfType(value))
        {
            writer.WriteByte(GrainReferenceMarker);
        }
        else
        {
            var grainInterface = _registry.GrainReferences!.GetGrainInterface(value) ?? GrainInterfaces.Find(value.GetType());
            writer.WriteByte(TaggedGrainReferenceMarker);
            writer.WriteString(TypeNames.GetName(grainInterface));
        }

        writer.WriteString(grainId.Type);
        writer.WriteString(grainId.Key);
    }

    private object ReadGrainReference(MessageReader reader, Type grainInterface)
    {
        var converter = _registry.GrainReferences
            ?? throw reader.Invalid("The payload holds a grain reference but this serializer has no IGrainReferenceConverter");
        string type = reader.ReadString("a grain type");
        string key = reader.ReadString("a grain key");
        return converter.CreateReference(grainInterface, new GrainId(type, key));
    }

    private Type ReadType(MessageReader reader)
    {
        string name = reader.ReadString("a type name");
        var type = TypeNames.Resolve(name) ?? throw reader.Invalid($"The payload names type '{name}', which cannot be loaded");
        if (!_declared.IsAssignableFrom(type))
        {
            throw reader.Invalid($"The payload holds a '{type}' where a '{_declared}' is declared");
        }

        return type;
    }
}
