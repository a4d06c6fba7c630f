using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Model2Vec;
using MossGrains.Engine.Embedding.StaticVectors;
using MossGrains.Engine.Tests.Onnx;

namespace MossGrains.Engine.Tests.Embedding;

/// <summary>Loads a tiny Model2Vec-format folder written by the test: safetensors + the shared MiniLM tokenizer.json.</summary>
public sealed class Model2VecModelTests : IDisposable
{
    private const int Dimensions = 4;
    private readonly string _directory = Directory.CreateTempSubdirectory("moss-m2v-").FullName;
    private readonly Dictionary<string, int> _vocabulary;

    public Model2VecModelTests()
    {
        string tokenizer = Path.Combine(OnnxTestAssets.MiniLmTokenizerDirectory, "tokenizer.json");
        File.Copy(tokenizer, Path.Combine(_directory, "tokenizer.json"));
        using var json = JsonDocument.Parse(File.ReadAllText(tokenizer));
        _vocabulary = json.RootElement.GetProperty("model").GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Row i holds (i, i mod 7, 1, -1) so each token's contribution can be recognised.</summary>
    private float[] Matrix()
    {
        var matrix = new float[_vocabulary.Count * Dimensions];
        for (int i = 0; i < _vocabulary.Count; i++)
        {
            matrix[(i * Dimensions) + 0] = i;
            matrix[(i * Dimensions) + 1] = i % 7;
            matrix[(i * Dimensions) + 2] = 1;
            matrix[(i * Dimensions) + 3] = -1;
        }

        return matrix;
    }

    private void WriteSafeTensors(string dtype, float[] matrix, string tensorName = "embeddings")
    {
        int elementSize = dtype == "F16" ? 2 : 4;
        var data = new byte[matrix.Length * elementSize];
        for (int i = 0; i < matrix.Length; i++)
        {
            if (dtype == "F16")
            {
                BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(i * 2), (Half)matrix[i]);
            }
            else
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), matrix[i]);
            }
        }

        string header = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" },
            [tensorName] = new { dtype, shape = new[] { matrix.Length / Dimensions, Dimensions }, data_offsets = new[] { 0, data.Length } },
        });
        var headerBytes = Encoding.UTF8.GetBytes(header);
        using var file = File.Create(Path.Combine(_directory, "model.safetensors"));
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        file.Write(data);
    }

    private float[] ExpectedMean(params string[] tokens)
    {
        var matrix = Matrix();
        var mean = new float[Dimensions];
        foreach (var token in tokens)
        {
            TensorPrimitives.Add(mean, matrix.AsSpan(_vocabulary[token] * Dimensions, Dimensions), mean);
        }

        TensorPrimitives.Divide(mean, tokens.Length, mean);
        return mean;
    }

    [Fact]
    public void Unnormalised_model_returns_the_mean_of_its_wordpiece_rows()
    {
        WriteSafeTensors("F32", Matrix());
        File.WriteAllText(Path.Combine(_directory, "config.json"), """{"normalize": false}""");
        using var embedder = Model2VecModel.Load(_directory);
        Assert.Equal(Dimensions, embedder.Info.Dimensions);
        Assert.Equal($"model2vec:{_directory}", embedder.Info.ModelId);
        Assert.False(embedder.Info.Normalized);
        // "Unbelievably, CATS!" → unbelievably , cats ! (WordPiece may split words into ## pieces)
        var ids = new int[512];
        int position = 0;
        string text = "Unbelievably, CATS!";
        int count = embedder.Tokenizer.Tokenize(text, ref position, ids);
        var pieces = ids[..count].Select(id => _vocabulary.First(p => p.Value == id).Key).ToArray();
        Assert.Equal(",", pieces[^3]);
        Assert.Equal("cats", pieces[^2]);
        Assert.Equal("!", pieces[^1]);
        Assert.Equal("unbelievably", string.Concat(pieces[..^3]).Replace("##", string.Empty, StringComparison.Ordinal));
        Assert.Equal(ExpectedMean(pieces), embedder.EmbedOne(text));
    }

    [Fact]
    public void Float16_model_without_config_is_normalised_and_skips_unknown_words()
    {
        WriteSafeTensors("F16", Matrix());
        using var embedder = Model2VecModel.Load(_directory);
        Assert.True(embedder.Info.Normalized);
        var vector = embedder.EmbedOne("hello world \u0378\u0379");
        Assert.Equal(1f, TensorPrimitives.Norm(vector), 4);
        var expected = ExpectedMean("hello", "world");
        TensorPrimitives.Divide(expected, TensorPrimitives.Norm(expected), expected);
        for (int d = 0; d < Dimensions; d++)
        {
            Assert.Equal(expected[d], vector[d], 3);
        }
    }

    [Fact]
    public void Only_the_first_512_word_pieces_count()
    {
        WriteSafeTensors("F32", Matrix());
        File.WriteAllText(Path.Combine(_directory, "config.json"), """{"normalize": false}""");
        using var embedder = Model2VecModel.Load(_directory);
        string head = string.Join(' ', Enumerable.Repeat("hello", Model2VecModel.MaxTokens));
        Assert.Equal(embedder.EmbedOne(head), embedder.EmbedOne(head + " world world world"));
        Assert.NotEqual(embedder.EmbedOne(head[6..]), embedder.EmbedOne(head[6..] + " world"));
    }

    [Fact]
    public void Loads_through_the_catalog_by_model2vec_scheme()
    {
        WriteSafeTensors("F32", Matrix());
        var catalog = new EmbedderCatalog();
        var embedder = catalog.Resolve($"model2vec:{_directory}");
        Assert.NotNull(embedder);
        Assert.Same(embedder, catalog.Resolve($"model2vec:{_directory}"));
    }

    [Fact]
    public void A_model_without_an_embeddings_tensor_is_refused()
    {
        WriteSafeTensors("F32", Matrix(), tensorName: "something_else");
        var error = Assert.Throws<InvalidDataException>(() => Model2VecModel.Load(_directory));
        Assert.Contains("embeddings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_smaller_than_the_vocabulary_is_refused()
    {
        WriteSafeTensors("F32", Matrix()[..(100 * Dimensions)]);
        Assert.Throws<InvalidDataException>(() => Model2VecModel.Load(_directory));
    }

    [Fact]
    public void A_truncated_safetensors_file_is_refused()
    {
        WriteSafeTensors("F32", Matrix());
        string path = Path.Combine(_directory, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => Model2VecModel.Load(_directory));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_tokenizer_is_named()
    {
        WriteSafeTensors("F32", Matrix());
        File.Delete(Path.Combine(_directory, "tokenizer.json"));
        var error = Assert.Throws<FileNotFoundException>(() => Model2VecModel.Load(_directory));
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
    }
}
