using MossGrains.Engine.Onnx;

namespace MossGrains.Engine.Embedding;

/// <summary>
/// Well-known folders for applications, samples and benchmarks: the repository root (the folder holding
/// <c>MossGrains.sln</c> above the application), native artefacts (env <c>MOSS_NATIVE_DIR</c>, else
/// <c>&lt;root&gt;/.native</c>) and shared data (env <c>MOSS_SHARED_DIR</c>, else <c>&lt;root&gt;/../shared</c>).
/// A public face over the engine's internal <see cref="RepositoryLocations"/>.
/// </summary>
public static class MossPaths
{
    /// <summary>The repository root, or null when the application does not run from a checkout.</summary>
    public static string? FindRepositoryRoot() => RepositoryLocations.FindRoot();

    /// <summary>Where set-up installs npm packages and converted models.</summary>
    public static string NativeDirectory => RepositoryLocations.RequireNativeDirectory();

    /// <summary>Shared data (BEIR datasets, tokenizer files).</summary>
    public static string SharedDirectory => RepositoryLocations.RequireSharedDirectory();
}
