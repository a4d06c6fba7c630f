using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MossGrains.Engine.Embedding;

namespace MossGrains.Bench;

/// <summary>
/// Document vectors of a list of texts, embedded once (batched ingest path, every core) and kept in
/// <c>.native/bench/vectors-&lt;model&gt;-&lt;hash of the texts&gt;.f32</c>, so that re-running a benchmark over
/// 100K chunks or a BEIR corpus does not re-embed them. The file holds raw float32 rows; its name pins model and texts.
/// </summary>
internal static class VectorCache
{
    public static float[] Load(ITextEmbedder embedder, IReadOnlyList<string> texts)
    {
        int dims = embedder.Info.Dimensions;
        var path = Path.Combine(BenchPaths.Native, "bench", $"vectors-{embedder.Info.ModelId}-{Fingerprint(embedder, texts)}.f32");
        var vectors = new float[texts.Count * dims];
        if (File.Exists(path) && new FileInfo(path).Length == (long)vectors.Length * sizeof(float))
        {
            using var file = File.OpenRead(path);
            file.ReadExactly(MemoryMarshal.AsBytes(vectors.AsSpan()));
            Console.WriteLine($"vectors: {texts.Count} × {dims} read from {path}");
            return vectors;
        }

        var clock = Stopwatch.StartNew();
        embedder.Embed([.. texts], vectors, EmbeddingPurpose.Document);
        Console.WriteLine($"vectors: embedded {texts.Count} texts in {clock.Elapsed.TotalSeconds:F0} s = {texts.Count / clock.Elapsed.TotalSeconds:F0} texts/s ({embedder.Info.ModelId}, {Environment.ProcessorCount} cores); cached in {path}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path + ".tmp", MemoryMarshal.AsBytes(vectors.AsSpan()).ToArray());
        File.Move(path + ".tmp", path, overwrite: true);
        return vectors;
    }

    /// <summary>Hash of the texts and of the model's vector for a probe text (another build of the same model id gets another file).</summary>
    private static string Fingerprint(ITextEmbedder embedder, IReadOnlyList<string> texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var probe = new float[embedder.Info.Dimensions];
        embedder.Embed(["vector cache probe"], probe, EmbeddingPurpose.Document);
        hash.AppendData(MemoryMarshal.AsBytes(probe.AsSpan()));
        foreach (var text in texts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
