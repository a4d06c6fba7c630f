using MossGrains.Engine.Session;
using MossGrains.Engine.Tests.TestDoubles;

namespace MossGrains.Engine.Tests.Snapshots;

/// <summary>
/// One writer adds, upserts and deletes whole batches of 10 documents while readers query. Each batch is
/// written atomically, so every reader must see each batch complete (10 docs) or absent, with one version.
/// The writer waits for reader progress every few batches, so readers are never starved, and the test
/// counts the reads that really overlapped a write (a write started or finished while the read ran).
/// </summary>
public class ConcurrentReadWriteTests
{
    private const int BatchSize = 10;
    private const int Batches = 500;
    private const int Readers = 2;

    /// <summary>Batches stay live this long, then are deleted: the index keeps ~300 documents (above the ANN threshold), so reads stay short.</summary>
    private const int LiveWindow = 30;

    /// <summary>The writer pauses every this many batches until every reader has finished one more read.</summary>
    private const int CheckpointEvery = 4;
    private const int MinimumOverlappingReads = 200;

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
        using var readProgress = new SemaphoreSlim(0);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int reads = 0;
        int overlappingReads = 0;
        long writeGeneration = 0; // odd while a write is in flight

        // Readers spin on their own threads (every read completes synchronously), so they never queue behind the writer's continuations.
        async Task Reader(int id)
        {
            while (!done.IsCancellationRequested)
            {
                long before = Interlocked.Read(ref writeGeneration);
                var all = await index.GetDocsAsync();
                Check($"reader {id} GetDocs", all.Select(d => d.Metadata!), requireComplete: true);
                var keyword = await index.QueryAsync("shared token", new QueryOptions { Alpha = 0, TopK = 1000 });
                Check($"reader {id} keyword", keyword.Docs.Select(d => d.Metadata!), requireComplete: true);
                var semantic = await index.QueryAsync("shared token batch7", new QueryOptions { Alpha = 1, TopK = 50 });
                Check($"reader {id} semantic", semantic.Docs.Select(d => d.Metadata!), requireComplete: false);
                if ((before & 1) == 1 || Interlocked.Read(ref writeGeneration) != before)
                {
                    Interlocked.Increment(ref overlappingReads);
                }

                Interlocked.Increment(ref reads);
                readProgress.Release();
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

        async Task<T> Write<T>(Func<Task<T>> write)
        {
            Interlocked.Increment(ref writeGeneration);
            try
            {
                return await write();
            }
            finally
            {
                Interlocked.Increment(ref writeGeneration);
            }
        }

        // Blocks the writer's thread (no continuation to schedule behind the spinning readers) until every reader finished one more read.
        void AwaitReaderProgress()
        {
            int target = Volatile.Read(ref reads) + Readers;
            while (Volatile.Read(ref reads) < target)
            {
                Assert.True(readProgress.Wait(TimeSpan.FromSeconds(10)), $"readers stalled at {reads} reads: {string.Join("; ", failures)}");
            }
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var readers = Enumerable.Range(0, Readers)
            .Select(i => Task.Factory.StartNew(() => Reader(i), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();

        // The writer runs on the thread pool, outside xunit's synchronisation context (which has one slot per core).
        var versions = await Task.Run(async () =>
        {
            await Write(() => index.AddDocsAsync(Batch(-1, 0)));
            AwaitReaderProgress();
            var versions = new Dictionary<int, int> { [-1] = 0 };
            for (int batch = 0; batch < Batches; batch++)
            {
                if (batch % CheckpointEvery == 0)
                {
                    AwaitReaderProgress();
                }

                await Write(() => index.AddDocsAsync(Batch(batch, 0)));
                versions[batch] = 0;
                if (batch % 3 == 2)
                {
                    int target = batch - 5;
                    if (versions.TryGetValue(target, out int version))
                    {
                        versions[target] = version + 1;
                        await Write(() => index.AddDocsAsync(Batch(target, version + 1)));
                    }
                }

                if (versions.Remove(batch - LiveWindow))
                {
                    Assert.Equal(BatchSize, await Write(() => index.DeleteDocsAsync(Batch(batch - LiveWindow, 0).Select(d => d.Id))));
                }
            }

            return versions;
        });

        await done.CancelAsync();
        await Task.WhenAll(readers);
        stopwatch.Stop();
        Console.WriteLine($"concurrent read/write: {reads} reads, {overlappingReads} overlapping a write, {stopwatch.ElapsedMilliseconds} ms");
        Assert.Empty(failures);
        Assert.True(reads >= Batches / CheckpointEvery * Readers, $"{reads} reads");
        Assert.True(overlappingReads >= MinimumOverlappingReads, $"only {overlappingReads} of {reads} reads overlapped a write");
        Assert.Equal(versions.Count * BatchSize, index.DocCount);
    }
}
