using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Snapshots;

/// <summary>
/// One writer adds, upserts and deletes whole batches of 10 documents while readers query. Each batch is
/// written atomically, so every reader must see each batch complete (10 docs) or absent, with one version.
/// </summary>
public class ConcurrentReadWriteTests
{
    private const int BatchSize = 10;
    private const int Batches = 120;

    private static DocumentInfo[] Batch(int batch, int version) =>
    [
        .. Enumerable.Range(0, BatchSize).Select(j => new DocumentInfo(
            $"b{batch}-{j}",
            $"shared token batch{batch} version{version} item{j}",
            new Dictionary<string, string> { ["batch"] = $"{batch}", ["version"] = $"{version}" })),
    ];

    [Fact]
    public async Task Readers_never_see_a_torn_batch()
    {
        var index = new SessionIndex("concurrent", new HashedBagOfWordsEmbedder(), new SessionIndexOptions { AnnThreshold = 200 });
        using var done = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int reads = 0;
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Reader(int id)
        {
            await Task.Yield();
            while (!done.IsCancellationRequested)
            {
                var all = await index.GetDocsAsync();
                Check($"reader {id} GetDocs", all.Select(d => d.Metadata!), requireComplete: true);
                var keyword = await index.QueryAsync("shared token", new QueryOptions { Alpha = 0, TopK = 1000 });
                Check($"reader {id} keyword", keyword.Docs.Select(d => d.Metadata!), requireComplete: true);
                var semantic = await index.QueryAsync("shared token batch7", new QueryOptions { Alpha = 1, TopK = 50 });
                Check($"reader {id} semantic", semantic.Docs.Select(d => d.Metadata!), requireComplete: false);
                Interlocked.Increment(ref reads);
                firstRead.TrySetResult();
            }
        }

        void Check(string who, IEnumerable<IReadOnlyDictionary<string, string>> seen, bool requireComplete)
        {
            foreach (var group in seen.GroupBy(m => m["batch"]))
            {
                var versions = group.Select(m => m["version"]).Distinct().ToList();
                if (versions.Count != 1 || (requireComplete && group.Count() != BatchSize))
                {
                    failures.Enqueue($"{who}: batch {group.Key} has {group.Count()} docs in versions {string.Join('/', versions)}");
                }
            }
        }

        var readers = Enumerable.Range(0, 2).Select(i => Task.Run(() => Reader(i))).ToArray();
        await index.AddDocsAsync(Batch(-1, 0));
        await firstRead.Task;
        var versions = new Dictionary<int, int> { [-1] = 0 };
        for (int batch = 0; batch < Batches; batch++)
        {
            await index.AddDocsAsync(Batch(batch, 0));
            versions[batch] = 0;
            if (batch % 3 == 2)
            {
                int target = batch / 2;
                if (versions.TryGetValue(target, out int version))
                {
                    versions[target] = version + 1;
                    await index.AddDocsAsync(Batch(target, version + 1));
                }
            }

            if (batch % 5 == 4 && versions.Remove(batch - 3))
            {
                Assert.Equal(BatchSize, await index.DeleteDocsAsync(Batch(batch - 3, 0).Select(d => d.Id)));
            }
        }

        await done.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Empty(failures);
        Assert.True(reads > 0);
        Assert.Equal(versions.Count * BatchSize, index.DocCount);
    }
}
