using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Engine.Tests.Embedding;

public sealed class StaticVectorModelFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("moss-vec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteTiny(bool float16)
    {
        var raw = TinyStaticModels.Create();
        var model = TinyStaticModels.Create(pooling: new StaticPooling(1e-3f, 20, SifWeighting.CommonComponent(raw, 1e-3f, 20), true));
        string path = Path.Combine(_directory, float16 ? "tiny16.mossvec" : "tiny32.mossvec");
        StaticVectorModelFile.Write(path, model, float16);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Round_trips_words_vectors_and_pooling(bool float16)
    {
        var original = TinyStaticModels.Create(pooling: new StaticPooling(1e-3f, 20, SifWeighting.CommonComponent(TinyStaticModels.Create(), 1e-3f, 20), true));
        var loaded = StaticVectorModelFile.Read(WriteTiny(float16), "tiny-test@1");
        Assert.Equal(original.Count, loaded.Count);
        Assert.Equal(original.Dimensions, loaded.Dimensions);
        Assert.True(loaded.WordsInRankOrder);
        Assert.Equal(1e-3f, loaded.Pooling.SifSmoothing);
        Assert.Equal(original.Pooling.CommonComponent, loaded.Pooling.CommonComponent);
        for (int id = 0; id < original.Count; id++)
        {
            Assert.Equal(original.GetWord(id), loaded.GetWord(id));
            var expected = new float[original.Dimensions];
            var actual = new float[loaded.Dimensions];
            original.CopyVector(id, expected);
            loaded.CopyVector(id, actual);
            for (int d = 0; d < expected.Length; d++)
            {
                Assert.Equal(expected[d], actual[d], float16 ? 1e-3f : 0f);
            }
        }
    }

    [Fact]
    public void A_flipped_byte_is_refused_with_the_path_and_the_fix()
    {
        string path = WriteTiny(float16: true);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => StaticVectorModelFile.Read(path, "tiny-test@1"));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        Assert.Contains("eng/setup.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_future_format_version_is_refused_even_with_a_valid_checksum()
    {
        string path = WriteTiny(float16: true);
        var bytes = File.ReadAllBytes(path);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), StaticVectorModelFile.FormatVersion + 1);
        System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => StaticVectorModelFile.Read(path, "tiny-test@1"));
        Assert.Contains("format version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        string path = WriteTiny(float16: false);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        Assert.Throws<InvalidDataException>(() => StaticVectorModelFile.Read(path, "tiny-test@1"));
    }

    [Fact]
    public void A_missing_file_names_the_setup_script()
    {
        string path = Path.Combine(_directory, "absent.mossvec");
        var error = Assert.Throws<FileNotFoundException>(() => StaticVectorModelFile.Read(path, "tiny-test@1"));
        Assert.Contains("eng/setup.sh", error.Message, StringComparison.Ordinal);
    }
}
