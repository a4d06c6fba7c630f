using MossGrains.Engine.Embedding;
using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Snapshots;

public class ReadsNeverWaitTests
{
    /// <summary>Embeds documents only after the test opens the gate; queries pass straight through.</summary>
    private sealed class GatedEmbedder : TextEmbedderBase
    {
        private readonly HashedBagOfWordsEmbedder _inner = new();

        public ManualResetEventSlim Gate { get; } = new(false);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override EmbedderInfo Info => _inner.Info;

        public override void Embed(ReadOnlySpan<string> texts, Span<float> destination, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
        {
            if (purpose == EmbeddingPurpose.Document)
            {
                Entered.TrySetResult();
                Gate.Wait(cancellationToken);
            }

            _inner.Embed(texts, destination, purpose, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            Gate.Dispose();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task Queries_answer_from_the_last_snapshot_while_a_write_is_in_progress()
    {
        using var embedder = new GatedEmbedder();
        var index = new SessionIndex("gated", embedder);
        embedder.Gate.Set();
        await index.AddDocsAsync(TestCorpus.Animals);
        embedder.Gate.Reset();

        var write = Task.Run(() => index.AddDocsAsync([new DocumentInfo("owl", "An owl flies at night")]));
        await embedder.Entered.Task;

        // The writer holds the write lock inside embedding; reads still complete, on the previous snapshot.
        var during = await index.QueryAsync("owl flies", new QueryOptions { Alpha = 0.5f, TopK = 10 });
        Assert.DoesNotContain(during.Docs, d => d.Id == "owl");
        Assert.Equal(6, index.DocCount);
        Assert.Equal(6, (await index.GetDocsAsync()).Count);
        Assert.False(write.IsCompleted);

        embedder.Gate.Set();
        Assert.Equal((1, 0), await write);
        var after = await index.QueryAsync("owl flies", new QueryOptions { Alpha = 0.5f, TopK = 1 });
        Assert.Equal("owl", after.Docs[0].Id);
    }
}
