using MossGrains.Engine.Embedding;

namespace MossGrains.Bench;

/// <summary>
/// Folders of the benchmark's working copy, run from the repository root: native artefacts (env
/// <c>MOSS_NATIVE_DIR</c>, else <c>./.native</c>) and shared data (env <c>MOSS_SHARED_DIR</c>, else
/// <c>../shared</c>). The engine takes its optional model folder from <see cref="Catalog"/>'s options.
/// </summary>
internal static class BenchPaths
{
    public static string Native => Environment.GetEnvironmentVariable("MOSS_NATIVE_DIR") is { Length: > 0 } native ? native : Path.GetFullPath(".native");

    public static string Shared => Environment.GetEnvironmentVariable("MOSS_SHARED_DIR") is { Length: > 0 } shared ? shared : Path.GetFullPath(Path.Combine("..", "shared"));

    public static string SciFact => Path.Combine(Shared, "beir", "scifact");

    /// <summary>The model catalog, with eng/setup.sh's models folder (GloVe when set up) and the bench's candidate models.</summary>
    public static EmbedderCatalog Catalog { get; } = Onnx.CandidateModels.Register(new(new EmbedderOptions { ModelDirectory = Path.Combine(Native, "models") }));
}
