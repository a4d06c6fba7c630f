using MossGrains.Engine.Embedding;

namespace MossGrains.Testing;

/// <summary>
/// The real default model, counting its calls: tests prove with it that hydration never re-embeds. Registered under the
/// default model's own id, so sessions and binaries see exactly the model the product ships.
/// </summary>
public sealed class CountingEmbedder(ITextEmbedder inner) : TextEmbedderBase
{
    private int _calls;

    public override EmbedderInfo Info => inner.Info;

    public int Calls => Volatile.Read(ref _calls);

    public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        inner.Embed(texts, destination, purpose, cancellationToken);
    }

    /// <summary>A catalog whose default model is the shipped one wrapped in a counter (loaded once per test process).</summary>
    public static (EmbedderCatalog Catalog, CountingEmbedder Counter) DefaultModelCatalog()
    {
        var counter = new CountingEmbedder(SharedDefault.Value);
        var catalog = new EmbedderCatalog().RegisterModel(counter.Info.ModelId, _ => counter);
        return (catalog, counter);
    }

    private static readonly Lazy<ITextEmbedder> SharedDefault = new(
        () => EmbedderCatalog.Default.Resolve(EmbedderCatalog.DefaultAlias)
              ?? throw new InvalidOperationException("The default model resolved to custom mode."));
}
