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

    [Fact]
    public async Task Background_linking_never_waits_for_a_write_and_the_write_keeps_its_progress()
    {
        const int Docs = 2000;
        using var embedder = new GatedEmbedder();
        var index = new SessionIndex("linking", embedder, new SessionIndexOptions { AnnThreshold = 100, HnswEfConstruction = 40 });
        var words = TestCorpus.Animals.SelectMany(d => d.Text.Split(' ')).Distinct().ToArray();
        var random = new Random(11);
        embedder.Gate.Set();
        await index.AddDocsAsync(Enumerable.Range(0, Docs).Select(i => new DocumentInfo($"d{i}", string.Join(' ', Enumerable.Range(0, 5).Select(_ => words[random.Next(words.Length)])))));
        embedder.Gate.Reset();

        // The write holds the write lock, blocked inside embedding, while thousands of nodes still wait to be linked.
        var write = Task.Run(() => index.AddDocsAsync([new DocumentInfo("owl", "An owl hoots at midnight")]));
        await embedder.Entered.Task;
        await index.CompleteBackgroundIndexingAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Docs, index.LinkedDocCount);
        Assert.False(write.IsCompleted);

        embedder.Gate.Set();
        Assert.Equal((1, 0), await write);
        Assert.InRange(index.LinkedDocCount, Docs, Docs + 1); // the write started from an older snapshot but kept the linker's progress (the new doc may be linked already)
        await index.CompleteBackgroundIndexingAsync();
        Assert.Equal(Docs + 1, index.LinkedDocCount);
        Assert.Equal("owl", (await index.QueryAsync("owl hoots at midnight", new QueryOptions { Alpha = 1, TopK = 1 })).Docs[0].Id);
    }
}
