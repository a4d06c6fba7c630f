using System.Globalization;
using MossGrains.Engine.Embedding;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Onnx;

namespace MossGrains.Bench.Onnx;

/// <summary>
/// <c>onnx-options [model dir] [rounds]</c>: 12-token query latency under different session settings, the
/// settings interleaved round by round so that a busy machine slows them all alike, plus a bare
/// <see cref="OrtSession.Run"/> on pre-tokenized input to show what the embedder adds around ONNX Runtime.
/// Default model: <c>.native/models/minilm-shaped</c> (fp32).
/// </summary>
internal static class OnnxOptionsBenchmark
{
    private const int QueriesPerRound = 20;

    public static Task<int> RunAsync(string[] args)
    {
        var modelDir = args.Length > 0 ? args[0] : Path.Combine(MossPaths.NativeDirectory, "models", "minilm-shaped");
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        Console.WriteLine($"machine: {BenchReport.Machine()}");
        Console.WriteLine($"model {modelDir}, ONNX Runtime {OrtLibrary.Default.Version}; {rounds} rounds × {QueriesPerRound} queries per setting, interleaved");

        var settings = new (string Name, OnnxEmbedderOptions Options)[]
        {
            ("embedder, 1 thread", new OnnxEmbedderOptions { IntraOpThreads = 1 }),
            ("embedder, 2 threads, spinning", new OnnxEmbedderOptions { IntraOpThreads = 2, AllowThreadSpinning = true }),
            ("embedder, 2 threads, no spinning (default)", new OnnxEmbedderOptions { IntraOpThreads = 2 }),
        };
        var embedders = settings.Select(s => OnnxTextEmbedder.Open(modelDir, s.Options)).ToArray();
        try
        {
            var query = OnnxBenchmark.TextOfTokens(embedders[0].Folder.Tokenizer, OnnxBenchmark.QueryWords, 12);
            var vector = new float[embedders[0].Info.Dimensions];
            var actions = embedders.Select(e => (Action)(() => e.Embed([query], vector, EmbeddingPurpose.Query))).ToList();
            var names = settings.Select(s => s.Name).ToList();

            var ids = embedders[0].Folder.Tokenizer.Encode(query).Select(id => (long)id).ToArray();
            var shape = new long[] { 1, ids.Length };
            var mask = Enumerable.Repeat(1L, ids.Length).ToArray();
            var types = new long[ids.Length];
            var outputName = embedders[0].Session.Outputs[0].Name;
            var session = embedders[0].Session;
            names.Add("bare OrtSession.Run, 1 thread, pre-tokenized");
            actions.Add(() =>
            {
                using var result = session.Run(
                    [
                        OrtInput.Int64Tensor("input_ids", ids, ids.Length, shape),
                        OrtInput.Int64Tensor("attention_mask", mask, ids.Length, shape),
                        OrtInput.Int64Tensor("token_type_ids", types, ids.Length, shape),
                    ],
                    [outputName]);
            });

            var samples = names.Select(_ => new List<double>()).ToArray();
            foreach (var action in actions)
            {
                BenchReport.Time(20, 1, action);
            }

            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < actions.Count; i++)
                {
                    samples[i].AddRange(BenchReport.Time(0, QueriesPerRound, actions[i]));
                }
            }

            for (int i = 0; i < names.Count; i++)
            {
                var sorted = samples[i].Order().ToArray();
                Console.WriteLine($"   {names[i],-46} {BenchReport.Summary(sorted)}");
            }
        }
        finally
        {
            foreach (var embedder in embedders)
            {
                embedder.Dispose();
            }
        }

        return Task.FromResult(0);
    }
}
