using System.Linq.Expressions;
using System.Reflection;

namespace MossGrains.Runtime.Serialization.Codecs;

/// <summary>
/// Records, classes and structs: their public data members in name order, each in its own slot.
/// Built from a public constructor whose parameters all match members by name and type (the one
/// with the most parameters wins), then the remaining settable members are set.
/// </summary>
internal sealed class ObjectCodec(Type type) : Codec(type)
{
    private Member[] _members = [];
    private ConstructorInfo? _constructor;
    private int[] _constructorMembers = [];
    private int[] _setMembers = [];
    private int _minSize;

    public override int MinSize => _minSize;

    /// <summary>Second construction phase, run after the codec is registered so self-referencing types resolve.</summary>
    public void Initialize(CodecRegistry registry)
    {
        var candidates = Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod?.IsPublic == true)
            .Select(p => (Info: (MemberInfo)p, p.Name, Type: p.PropertyType, Settable: p.SetMethod?.IsPublic == true))
            .Concat(Type.GetFields(BindingFlags.Public | BindingFlags.Instance)
                .Select(f => (Info: (MemberInfo)f, f.Name, Type: f.FieldType, Settable: !f.IsInitOnly)))
            .ToList();

        var constructors = Type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => candidates.Any(m => Matches(m.Name, m.Type, p))))
            .OrderByDescending(c => c.GetParameters().Length)
            .ToList();
        _constructor = constructors.FirstOrDefault();
        if (_constructor is null && !Type.IsValueType)
        {
            throw new NotSupportedException(
                $"Type '{Type}' cannot be serialized: it needs a public constructor whose parameters match its properties, or a public parameterless constructor.");
        }

        var parameters = _constructor?.GetParameters() ?? [];
        var kept = candidates
            .Where(m => m.Settable || parameters.Any(p => Matches(m.Name, m.Type, p)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        _members = [.. kept.Select(m => new Member(m.Info, Type, registry.GetSlot(m.Type)))];
        _constructorMembers = [.. parameters.Select(p => kept.FindIndex(m => Matches(m.Name, m.Type, p)))];
        _setMembers = [.. Enumerable.Range(0, kept.Count).Where(i => !_constructorMembers.Contains(i))];
        _minSize = _members.Sum(m => m.Slot.MinSize);
    }

    public override void Write(MessageWriter writer, object value)
    {
        foreach (var member in _members)
        {
            member.Slot.Write(writer, member.Get(value));
        }
    }

    public override object Read(MessageReader reader)
    {
        var values = new object?[_members.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _members[i].Slot.Read(reader);
        }

        object result;
        if (_constructor is null)
        {
            result = Activator.CreateInstance(Type)!;
        }
        else
        {
            var arguments = new object?[_constructorMembers.Length];
            for (int i = 0; i < arguments.Length; i++)
            {
                arguments[i] = values[_constructorMembers[i]];
            }

            result = _constructor.Invoke(arguments);
        }

        foreach (int i in _setMembers)
        {
            _members[i].Set(result, values[i]);
        }

        return result;
    }

    private static bool Matches(string memberName, Type memberType, ParameterInfo parameter) =>
        string.Equals(memberName, parameter.Name, StringComparison.OrdinalIgnoreCase) && memberType == parameter.ParameterType;

    private sealed class Member
    {
        private readonly MemberInfo _info;
        private readonly Func<object, object?> _get;

        public Member(MemberInfo info, Type owner, Slot slot)
        {
            _info = info;
            Slot = slot;
            var instance = Expression.Parameter(typeof(object));
            var access = Expression.MakeMemberAccess(Expression.Convert(instance, owner), info);
            _get = Expression.Lambda<Func<object, object?>>(Expression.Convert(access, typeof(object)), instance).Compile();
        }

        public Slot Slot { get; }

        public object? Get(object instance) => _get(instance);

        /// <summary>Reflection on purpose: it also sets init-only properties and members of boxed structs.</summary>
        public void Set(object instance, object? value)
        {
            if (_info is PropertyInfo property)
            {
                property.SetValue(instance, value);
            }
            else
            {
                ((FieldInfo)_info).SetValue(instance, value);
            }
        }
    }
}
