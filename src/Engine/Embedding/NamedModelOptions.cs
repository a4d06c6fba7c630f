using MossGrains.Engine.Embedding.Model2Vec;
using MossGrains.Engine.Embedding.Onnx;
using MossGrains.Engine.Embedding.StaticVectors;

namespace MossGrains.Engine.Embedding;

/// <summary>What a folder-backed model named by the operator is made of.</summary>
public enum NamedModelKind
{
    /// <summary>A sentence-transformers ONNX folder (docs/onnx.md).</summary>
    Onnx,

    /// <summary>A Model2Vec folder: <c>model.safetensors</c>, <c>tokenizer.json</c> [+ <c>config.json</c>].</summary>
    Model2Vec,

    /// <summary>A converted static word-vector file (<c>.mossvec</c>), or a folder holding exactly one.</summary>
    Static,
}

/// <summary>
/// A folder-backed model that callers reach by its name (<see cref="EmbedderOptions.Models"/>; in a silo
/// <c>Moss:Models:{name}:Kind</c> and <c>Moss:Models:{name}:Folder</c>). Index binaries built with it record the name.
/// </summary>
public sealed class NamedModelOptions
{
    /// <summary>What the folder holds. Default <see cref="NamedModelKind.Onnx"/>.</summary>
    public NamedModelKind Kind { get; set; } = NamedModelKind.Onnx;

    /// <summary>The model's folder (for <see cref="NamedModelKind.Static"/>, the <c>.mossvec</c> file or its folder). Required; no default.</summary>
    public string Folder { get; set; } = "";

    /// <summary>Opens the model as <paramref name="name"/>.</summary>
    internal ITextEmbedder Open(string name, EmbedderOptions options) => Kind switch
    {
        NamedModelKind.Onnx => OnnxTextEmbedder.Open(Folder, options.Onnx, modelId: name),
        NamedModelKind.Model2Vec => Model2VecModel.Load(Folder, modelId: name),
        NamedModelKind.Static => StaticWordEmbedder.Create(StaticVectorModelFile.Read(StaticFile(), name)),
        _ => throw new InvalidOperationException($"Model '{name}' has kind {Kind}, which is not one of: {string.Join(", ", Enum.GetNames<NamedModelKind>())}."),
    };

    /// <summary>Refuses (<see cref="InvalidOperationException"/>) a configuration the catalog could never open, naming the key to fix.</summary>
    internal void Validate(string name)
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new InvalidOperationException($"Models:{name}:Kind is {Kind}; it must be one of: {string.Join(", ", Enum.GetNames<NamedModelKind>())}.");
        }

        if (string.IsNullOrWhiteSpace(Folder) || !Path.IsPathFullyQualified(Folder))
        {
            throw new InvalidOperationException($"Models:{name}:Folder is '{Folder}'; it must be an absolute path to the model's folder.");
        }
    }

    private string StaticFile()
    {
        if (!Directory.Exists(Folder))
        {
            return Folder;
        }

        var files = Directory.GetFiles(Folder, "*" + StaticVectorModelFile.Extension);
        return files.Length == 1
            ? files[0]
            : throw new FileNotFoundException($"Static model folder '{Folder}' holds {files.Length} {StaticVectorModelFile.Extension} files; name the file itself, or keep exactly one there.", Folder);
    }
}
