namespace MossGrains.Engine.Embedding;

/// <summary>Where embedders find their files.</summary>
public sealed class EmbedderOptions
{
    /// <summary>
    /// Folder of converted models. Default: <c>&lt;native&gt;/models</c>, where eng/setup.sh converts
    /// the shipped model.
    /// </summary>
    public string? ModelDirectory { get; set; }

    /// <summary>
    /// Native artefacts folder (npm packages, converted models). Default: <see cref="MossPaths.NativeDirectory"/>
    /// (env <c>MOSS_NATIVE_DIR</c>, else <c>&lt;repo&gt;/.native</c>).
    /// </summary>
    public string? NativeDirectory { get; set; }

    internal string ResolveModelDirectory() =>
        ModelDirectory ?? Path.Combine(NativeDirectory ?? MossPaths.NativeDirectory, "models");
}
