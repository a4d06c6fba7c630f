namespace MossGrains.Runtime.Serialization.Codecs;

/// <summary>What a sequence codec builds when it reads.</summary>
internal enum SequenceShape
{
    Array,
    List,
    Set,
}

/// <summary>
/// Arrays, lists, sets and the read-only/enumerable interfaces over them: a count, then the
/// elements. Interface-typed slots read back as <see cref="List{T}"/> or <see cref="HashSet{T}"/>.
/// </summary>
internal sealed class SequenceCodec<T>(Type type, Slot element, SequenceShape shape) : Codec(type)
{
    public override void Write(MessageWriter writer, object value)
    {
        var items = (IEnumerable<T>)value;
        int count;
        switch (items)
        {
            case ICollection<T> collection:
                count = collection.Count;
                break;
            case IReadOnlyCollection<T> readOnly:
                count = readOnly.Count;
                break;
            default:
                var copy = items.ToList();
                items = copy;
                count = copy.Count;
                break;
        }

        writer.WriteVarUInt64((ulong)count);
        int written = 0;
        foreach (var item in items)
        {
            element.Write(writer, item);
            written++;
        }

        if (written != count)
        {
            throw new InvalidOperationException($"A collection of '{typeof(T)}' changed while it was being serialized.");
        }
    }

    public override object Read(MessageReader reader)
    {
        int count = reader.ReadCount($"the count of a {Type.Name}", element.MinSize);
        switch (shape)
        {
            case SequenceShape.Array:
                var array = new T[count];
                for (int i = 0; i < count; i++)
                {
                    array[i] = (T)element.Read(reader)!;
                }

                return array;
            case SequenceShape.Set:
                var set = new HashSet<T>(count);
                for (int i = 0; i < count; i++)
                {
                    if (!set.Add((T)element.Read(reader)!))
                    {
                        throw reader.Invalid($"The payload repeats an element of a set of '{typeof(T)}'");
                    }
                }

                return set;
            default:
                var list = new List<T>(count);
                for (int i = 0; i < count; i++)
                {
                    list.Add((T)element.Read(reader)!);
                }

                return list;
        }
    }
}

/// <summary>Dictionaries and the dictionary interfaces: a count, then key/value pairs. Reads back as <see cref="Dictionary{TKey, TValue}"/>.</summary>
internal sealed class DictionaryCodec<TKey, TValue>(Type type, Slot keySlot, Slot valueSlot) : Codec(type)
    where TKey : notnull
{
    public override void Write(MessageWriter writer, object value)
    {
        var pairs = value as IReadOnlyCollection<KeyValuePair<TKey, TValue>> ?? ((IEnumerable<KeyValuePair<TKey, TValue>>)value).ToList();
        writer.WriteVarUInt64((ulong)pairs.Count);
        foreach (var pair in pairs)
        {
            keySlot.Write(writer, pair.Key);
            valueSlot.Write(writer, pair.Value);
        }
    }

    public override object Read(MessageReader reader)
    {
        int count = reader.ReadCount($"the count of a {Type.Name}", keySlot.MinSize + valueSlot.MinSize);
        var dictionary = new Dictionary<TKey, TValue>(count);
        for (int i = 0; i < count; i++)
        {
            var k = keySlot.Read(reader) ?? throw reader.Invalid($"The payload holds a null key in a dictionary of '{typeof(TKey)}'");
            if (!dictionary.TryAdd((TKey)k, (TValue)valueSlot.Read(reader)!))
            {
                throw reader.Invalid($"The payload repeats the key '{k}' in a dictionary");
            }
        }

        return dictionary;
    }
}
