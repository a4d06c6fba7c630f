namespace MossGrains.Engine.Embedding;

/// <summary>A model id the catalog does not offer; <see cref="ArgumentException.ParamName"/> names the field, the message the allowed ids.</summary>
public sealed class UnknownModelException : ArgumentException
{
    /// <summary>Longest part of a refused id repeated in the message: the id is the caller's, not ours to echo whole.</summary>
    private const int EchoedLength = 80;

    public UnknownModelException()
    {
    }

    public UnknownModelException(string message)
        : base(message)
    {
    }

    public UnknownModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnknownModelException(string modelId, IReadOnlyList<string> allowed, string field)
        : base(MessageFor(modelId, allowed, field), field)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        ModelId = modelId.Length <= EchoedLength ? modelId : modelId[..EchoedLength] + "…";
        AllowedIds = allowed;
    }

    /// <summary>The refused id (its first 80 characters).</summary>
    public string ModelId { get; } = "";

    /// <summary>The ids the catalog offers.</summary>
    public IReadOnlyList<string> AllowedIds { get; } = [];

    private static string MessageFor(string modelId, IReadOnlyList<string> allowed, string field)
    {
        string shown = modelId.Length <= EchoedLength ? modelId : modelId[..EchoedLength] + "…";
        return $"{field} '{shown}' is not a model this catalog offers. Allowed: {string.Join(", ", allowed)}. " +
            "Folder-backed models are named by the operator (Moss:Models), not by a path.";
    }
}
