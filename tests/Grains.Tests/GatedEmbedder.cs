using MossGrains.Engine.Embedding;

namespace MossGrains.Grains.Tests;

/// <summary>
/// The default model behind gates a test controls: queries can be made to wait for one another (so a test proves they
/// run at the same time), and document embedding can be held (so a test proves queries do not wait for a write).
/// </summary>
public sealed class GatedEmbedder(ITextEmbedder inner) : TextEmbedderBase
{
    public const string Id = "test-gated";
    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(20);

    public override EmbedderInfo Info { get; } = inner.Info with { ModelId = Id };

    /// <summary>When set, each query embedding waits until this many are inside at once.</summary>
    public Barrier? Queries { get; set; }

    /// <summary>When set, document embedding signals <see cref="DocumentsEntered"/> and waits for this gate.</summary>
    public ManualResetEventSlim? Documents { get; set; }

    public SemaphoreSlim DocumentsEntered { get; } = new(0);

    public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        if (purpose == EmbeddingPurpose.Query && Queries is { } barrier && !barrier.SignalAndWait(GateTimeout, cancellationToken))
        {
            throw new TimeoutException($"Only {barrier.ParticipantsRemaining} of {barrier.ParticipantCount} queries were ever embedding at the same time.");
        }

        if (purpose == EmbeddingPurpose.Document && Documents is { } gate)
        {
            DocumentsEntered.Release();
            if (!gate.Wait(GateTimeout, cancellationToken))
            {
                throw new TimeoutException("The document gate was never opened.");
            }
        }

        inner.Embed(texts, destination, purpose, cancellationToken);
    }
}
