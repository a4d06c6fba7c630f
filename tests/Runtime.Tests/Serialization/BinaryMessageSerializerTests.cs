using System.Buffers;
using MossGrains.Runtime.Serialization;

namespace MossGrains.Runtime.Tests.Serialization;

public enum Mood : short
{
    Calm = 1,
    Angry = -7,
}

public sealed record Point(int X, int Y);

public sealed record Person(string Name, int? Age, IReadOnlyList<string> Tags, Point? Home);

public sealed class Settable
{
    public string? Title { get; set; }

    public List<double> Scores { get; set; } = [];

    public Dictionary<string, int> Counts { get; init; } = [];
}

public readonly record struct Vector2(float X, float Y);

public struct MutablePoint
{
    public int A { get; set; }

    public long B { get; set; }
}

public sealed class TreeNode
{
    public string Name { get; set; } = "";

    public List<TreeNode> Children { get; set; } = [];
}

public abstract record Shape(string Label);

public sealed record Circle(string Label, double Radius) : Shape(Label);

public sealed record Square(string Label, double Side) : Shape(Label);

public sealed class NoUsableConstructor(int hidden)
{
    public int Visible => hidden;
}

public sealed class BinaryMessageSerializerTests
{
    private readonly BinaryMessageSerializer _serializer = new(new TestGrainReferences());

    public static TheoryData<object?, Type> Scalars() => new()
    {
        { null, typeof(string) },
        { true, typeof(bool) },
        { false, typeof(bool) },
        { (byte)200, typeof(byte) },
        { (sbyte)-100, typeof(sbyte) },
        { short.MinValue, typeof(short) },
        { ushort.MaxValue, typeof(ushort) },
        { int.MinValue, typeof(int) },
        { -1, typeof(int) },
        { uint.MaxValue, typeof(uint) },
        { long.MinValue, typeof(long) },
        { long.MaxValue, typeof(long) },
        { ulong.MaxValue, typeof(ulong) },
        { 3.25f, typeof(float) },
        { float.NaN, typeof(float) },
        { double.NegativeInfinity, typeof(double) },
        { Math.PI, typeof(double) },
        { 79228162514264337593543950335m, typeof(decimal) },
        { -0.000001m, typeof(decimal) },
        { 'é', typeof(char) },
        { "", typeof(string) },
        { "grüße, 世界 🚀", typeof(string) },
        { Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), typeof(Guid) },
        { new DateTime(2026, 11, 21, 16, 52, 20, DateTimeKind.Utc), typeof(DateTime) },
        { new DateTimeOffset(2026, 11, 21, 16, 52, 20, TimeSpan.FromHours(-5.5)), typeof(DateTimeOffset) },
        { TimeSpan.FromMilliseconds(-1234.5), typeof(TimeSpan) },
        { new DateOnly(1999, 12, 31), typeof(DateOnly) },
        { new TimeOnly(23, 59, 58), typeof(TimeOnly) },
        { Mood.Angry, typeof(Mood) },
        { 42, typeof(int?) },
        { null, typeof(int?) },
        { Mood.Calm, typeof(Mood?) },
        { 7L, typeof(object) },
        { "boxed", typeof(object) },
        { Mood.Angry, typeof(Enum) },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Scalar_values_round_trip(object? value, Type declared)
    {
        Assert.Equal(value, RoundTrip(value, declared));
    }

    [Fact]
    public void Small_integers_are_varints()
    {
        Assert.Single(Encode(5, typeof(int)));
        Assert.Single(Encode(-3, typeof(int)));
        Assert.Equal(2, Encode(300, typeof(int)).Length);
    }

    [Fact]
    public void Byte_and_float_arrays_are_a_length_and_raw_bytes()
    {
        var bytes = new byte[] { 0, 1, 2, 255 };
        Assert.Equal(bytes, RoundTrip(bytes, typeof(byte[])));

        var vector = Enumerable.Range(0, 384).Select(i => MathF.Sin(i) * 1e-3f).ToArray();
        byte[] encoded = Encode(vector, typeof(float[]));
        Assert.Equal(1 + 2 + (384 * 4), encoded.Length); // marker, varint length, payload
        Assert.Equal(vector, (float[])RoundTrip(vector, typeof(float[]))!);

        var doubles = new[] { 1.5, -2.25, double.Epsilon };
        Assert.Equal(doubles, RoundTrip(doubles, typeof(double[])));
    }

    [Fact]
    public void Arrays_lists_sets_and_dictionaries_round_trip()
    {
        string?[] withNull = ["a", null, "c"];
        Assert.Equal(withNull, RoundTrip(withNull, typeof(string?[])));
        Assert.Equal(new List<int> { 1, -2, 3 }, RoundTrip(new List<int> { 1, -2, 3 }, typeof(List<int>)));
        Assert.True(new HashSet<string> { "x", "y" }.SetEquals(Assert.IsType<HashSet<string>>(RoundTrip(new HashSet<string> { "x", "y" }, typeof(HashSet<string>)))));
        var dictionary = new Dictionary<string, List<Point>> { ["a"] = [new(1, 2)], ["b"] = [] };
        var back = (Dictionary<string, List<Point>>)RoundTrip(dictionary, typeof(Dictionary<string, List<Point>>))!;
        Assert.Equal(dictionary.Keys, back.Keys);
        Assert.Equal(dictionary["a"], back["a"]);
        Assert.Empty(back["b"]);
        int[] numbers = [1, 2, 3];
        Assert.Equal(numbers, RoundTrip(numbers, typeof(int[])));
    }

    [Fact]
    public void Collection_interfaces_read_back_as_concrete_collections_without_type_tags()
    {
        IReadOnlyList<int> fromArray = new[] { 4, 5 };
        var list = Assert.IsType<List<int>>(RoundTrip(fromArray, typeof(IReadOnlyList<int>)));
        Assert.Equal([4, 5], list);
        Assert.Equal(1 + 1 + 2, Encode(fromArray, typeof(IReadOnlyList<int>)).Length);

        IEnumerable<string> lazy = Enumerable.Range(0, 3).Select(i => $"s{i}");
        Assert.Equal(["s0", "s1", "s2"], Assert.IsType<List<string>>(RoundTrip(lazy, typeof(IEnumerable<string>))));

        IReadOnlyDictionary<int, string> map = new Dictionary<int, string> { [1] = "one" };
        Assert.Equal("one", Assert.IsType<Dictionary<int, string>>(RoundTrip(map, typeof(IReadOnlyDictionary<int, string>)))[1]);
        Assert.Contains("q", Assert.IsType<HashSet<string>>(RoundTrip(new HashSet<string> { "q" }, typeof(IReadOnlySet<string>))));
    }

    [Fact]
    public void Records_classes_and_structs_round_trip()
    {
        var person = new Person("Ada", null, ["math", "engines"], new Point(3, -4));
        var back = Assert.IsType<Person>(RoundTrip(person, typeof(Person)));
        Assert.Equal(person.Name, back.Name);
        Assert.Null(back.Age);
        Assert.Equal(person.Tags, back.Tags);
        Assert.Equal(person.Home, back.Home);

        var settable = new Settable { Title = "t", Scores = [1.5, 2], Counts = new() { ["k"] = 9 } };
        var settableBack = Assert.IsType<Settable>(RoundTrip(settable, typeof(Settable)));
        Assert.Equal("t", settableBack.Title);
        Assert.Equal(settable.Scores, settableBack.Scores);
        Assert.Equal(9, settableBack.Counts["k"]);

        Assert.Equal(new Vector2(1.5f, -2f), RoundTrip(new Vector2(1.5f, -2f), typeof(Vector2)));
        var mutable = Assert.IsType<MutablePoint>(RoundTrip(new MutablePoint { A = 5, B = -6 }, typeof(MutablePoint)));
        Assert.Equal((5, -6L), (mutable.A, mutable.B));
        Assert.Equal((1, "two"), RoundTrip((1, "two"), typeof(ValueTuple<int, string>)));
        Assert.Equal(
            new KeyValuePair<string, int>("k", 3),
            RoundTrip(new KeyValuePair<string, int>("k", 3), typeof(KeyValuePair<string, int>)));
        Assert.Equal(new SiloAddress("127.0.0.1", 11111, 42), RoundTrip(new SiloAddress("127.0.0.1", 11111, 42), typeof(SiloAddress)));
    }

    [Fact]
    public void Self_referencing_types_round_trip()
    {
        var tree = new TreeNode { Name = "root", Children = [new TreeNode { Name = "leaf" }] };
        var back = Assert.IsType<TreeNode>(RoundTrip(tree, typeof(TreeNode)));
        Assert.Equal("leaf", Assert.Single(back.Children).Name);
    }

    [Fact]
    public void Derived_types_carry_a_type_tag_only_when_needed()
    {
        Shape[] shapes = [new Circle("c", 2), new Square("s", 3)];
        var back = Assert.IsType<Shape[]>(RoundTrip(shapes, typeof(Shape[])));
        Assert.Equal(shapes, back);
        Assert.Equal(new Circle("c", 2), RoundTrip(new Circle("c", 2), typeof(object)));

        int exact = Encode(new Circle("c", 2), typeof(Circle)).Length;
        int tagged = Encode(new Circle("c", 2), typeof(Shape)).Length;
        Assert.True(tagged > exact + 10, $"tagged {tagged} vs exact {exact}");
    }

    [Fact]
    public void Grain_references_travel_as_grain_ids()
    {
        var reference = new TestGrainReference(new GrainId("counter", "k1"));
        var back = Assert.IsType<TestGrainReference>(RoundTrip(reference, typeof(ITestGrain)));
        Assert.Equal(reference.Id, back.Id);
        Assert.Equal(typeof(ITestGrain), back.Interface);

        var viaObject = Assert.IsType<TestGrainReference>(RoundTrip(reference, typeof(object)));
        Assert.Equal(typeof(ITestGrain), viaObject.Interface);

        var inRecord = new Holder(reference, [reference]);
        var holderBack = Assert.IsType<Holder>(RoundTrip(inRecord, typeof(Holder)));
        Assert.Equal(reference.Id, ((TestGrainReference)holderBack.Grain).Id);
        Assert.Equal(reference.Id, ((TestGrainReference)holderBack.Others[0]).Id);
    }

    [Fact]
    public void Arguments_round_trip_back_to_back()
    {
        Type[] parameters = [typeof(string), typeof(float[]), typeof(int), typeof(Person)];
        object?[] arguments = ["q", new[] { 1f, 2f }, 10, null];
        var buffer = new ArrayBufferWriter<byte>();
        _serializer.SerializeArguments(buffer, arguments, parameters);
        var back = _serializer.DeserializeArguments(new ReadOnlySequence<byte>(buffer.WrittenMemory), parameters);
        Assert.Equal(arguments, back);
        Assert.Throws<ArgumentException>(() => _serializer.SerializeArguments(buffer, arguments, parameters.AsSpan(0, 2)));
    }

    [Fact]
    public void Multi_segment_input_is_read()
    {
        var person = new Person("Grace", 85, ["navy"], null);
        byte[] encoded = Encode(person, typeof(Person));
        var sequence = Segments.Split(encoded, 3);
        Assert.False(sequence.IsSingleSegment);
        Assert.Equal("Grace", Assert.IsType<Person>(_serializer.Deserialize(sequence, typeof(Person))).Name);
    }

    [Fact]
    public void Every_truncation_of_a_payload_is_refused_with_a_clear_error()
    {
        var person = new Person("Ada", 36, ["a", "b"], new Point(1, 2));
        byte[] encoded = Encode(person, typeof(Person));
        for (int length = 0; length < encoded.Length; length++)
        {
            var error = Assert.Throws<MessageFormatException>(
                () => _serializer.Deserialize(new ReadOnlySequence<byte>(encoded, 0, length), typeof(Person)));
            Assert.Contains("offset", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Corrupt_payloads_are_refused()
    {
        var trailing = Encode(5, typeof(int)).Append((byte)1).ToArray();
        Assert.Contains("unexpected bytes", Assert.Throws<MessageFormatException>(() => Decode(trailing, typeof(int))).Message, StringComparison.Ordinal);

        // A huge claimed length must not allocate.
        byte[] hugeArray = [1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F];
        Assert.Contains("claims", Assert.Throws<MessageFormatException>(() => Decode(hugeArray, typeof(float[]))).Message, StringComparison.Ordinal);

        byte[] badMarker = [9];
        Assert.Contains("invalid marker", Assert.Throws<MessageFormatException>(() => Decode(badMarker, typeof(string))).Message, StringComparison.Ordinal);

        byte[] badBool = [2];
        Assert.Throws<MessageFormatException>(() => Decode(badBool, typeof(bool)));

        var unknownType = new ArrayBufferWriter<byte>();
        unknownType.Write([(byte)2]);
        new BinaryMessageSerializer().Serialize(unknownType, "No.Such.Type, NoAssembly", typeof(string));
        var unknown = unknownType.WrittenSpan.ToArray();
        unknown = [2, .. unknown[2..]];
        Assert.Contains("cannot be loaded", Assert.Throws<MessageFormatException>(() => Decode(unknown, typeof(object))).Message, StringComparison.Ordinal);

        // A tagged type that is not assignable to the declared type is refused.
        var wrong = Encode(new Circle("c", 1), typeof(object));
        Assert.Throws<MessageFormatException>(() => Decode(wrong, typeof(Person)));

        Assert.Throws<MessageFormatException>(() => Decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], typeof(long)));
        Assert.Throws<MessageFormatException>(() => Decode([0x80, 0x80, 0x80, 0x80, 0x10], typeof(int)));
    }

    [Fact]
    public void Unsupported_types_and_cycles_are_refused_when_writing()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Contains("constructor", Assert.Throws<NotSupportedException>(
            () => _serializer.Serialize(buffer, new NoUsableConstructor(1), typeof(NoUsableConstructor))).Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => _serializer.Serialize(buffer, new Action(() => { }), typeof(Action)));
        Assert.Throws<NotSupportedException>(() => _serializer.Serialize(buffer, new Queue<int>(), typeof(Queue<int>)));
        Assert.Throws<ArgumentException>(() => _serializer.Serialize(buffer, "text", typeof(int)));

        var cycle = new TreeNode { Name = "loop" };
        cycle.Children.Add(cycle);
        Assert.Contains("cycles", Assert.Throws<ArgumentException>(() => _serializer.Serialize(buffer, cycle, typeof(TreeNode))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_first_use_of_many_types_is_safe()
    {
        Parallel.For(0, 64, i =>
        {
            var person = new Person($"p{i}", i, [$"t{i}"], new Point(i, -i));
            var back = (Person)Decode(_serializer, Encode(_serializer, person, typeof(Person)), typeof(Person))!;
            Assert.Equal(person.Home, back.Home);
        });
    }

    [Fact]
    public void A_self_referencing_type_is_never_seen_half_built_by_another_thread()
    {
        // While one thread builds TreeNode's codec (it refers to itself through Children), another starts
        // using TreeNode. Each round uses a fresh cache and starts the second thread a little later, so the
        // rounds sweep its first lookup across the whole build.
        for (int round = 0; round < 400; round++)
        {
            var serializer = new BinaryMessageSerializer();
            using var start = new Barrier(2);
            int delay = round * 25;
            var names = new string[2];
            Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, worker =>
            {
                start.SignalAndWait();
                Thread.SpinWait(worker * delay);
                var tree = new TreeNode { Name = $"n{worker}" };
                names[worker] = ((TreeNode)Decode(serializer, Encode(serializer, tree, typeof(TreeNode)), typeof(TreeNode))!).Name;
            });
            Assert.Equal(["n0", "n1"], names);
        }
    }

    private object? RoundTrip(object? value, Type declared) => Decode(Encode(value, declared), declared);

    private byte[] Encode(object? value, Type declared) => Encode(_serializer, value, declared);

    private object? Decode(byte[] payload, Type declared) => Decode(_serializer, payload, declared);

    private static byte[] Encode(BinaryMessageSerializer serializer, object? value, Type declared)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(buffer, value, declared);
        return buffer.WrittenSpan.ToArray();
    }

    private static object? Decode(BinaryMessageSerializer serializer, byte[] payload, Type declared) =>
        serializer.Deserialize(new ReadOnlySequence<byte>(payload), declared);
}

public sealed record Holder(ITestGrain Grain, List<ITestGrain> Others);
