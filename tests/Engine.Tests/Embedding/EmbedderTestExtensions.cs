using MossGrains.Engine.Embedding;

namespace MossGrains.Engine.Tests.Embedding;

public static class EmbedderTestExtensions
{
    /// <summary>Embeds one text as a query into a fresh array.</summary>
    public static float[] EmbedOne(this ITextEmbedder embedder, string text)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var vector = new float[embedder.Info.Dimensions];
        embedder.Embed([text], vector, EmbeddingPurpose.Query);
        return vector;
    }
}
