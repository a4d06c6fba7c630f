using System.Diagnostics;
using Azure.Storage.Blobs;
using MossGrains.Client.Sessions;
using MossGrains.Engine.Persistence;
using MossGrains.Engine.Session;
using MossGrains.Grains.Sessions;
using MossGrains.Testing;
using Xunit.Abstractions;

namespace MossGrains.Cluster.Tests;

/// <summary>Three silo processes and external clients on different gateways, on a real Azurite.</summary>
public sealed class SessionClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    private static DocumentInfo Doc(int i) => new($"w{i}", $"write number {i}: the customer asked about refund {i}");

    /// <summary>Calls until a call succeeds (100 ms between tries), failing the test once <paramref name="clock"/> passes <paramref name="limit"/>.</summary>
    private static async Task<(T Result, int Failures)> UntilItAnswersAsync<T>(Func<Task<T>> call, Stopwatch clock, TimeSpan limit)
    {
        for (int failures = 0; ; failures++)
        {
            Assert.True(clock.Elapsed < limit, $"no answer within {limit} ({failures} failed calls)");
            try
            {
                return (await call(), failures);
            }
            catch (Exception e) when (e is not ArgumentException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Opens a session through a client of every silo, and returns it with the silo holding it.</summary>
    private static async Task<(IMossSession Session, SiloProcess Host)> OpenAsync(LocalCluster cluster, string name, SessionDurability durability)
    {
        var probe = await cluster.ClientAsync(CallTimeout, cluster.Silos);
        var session = await probe.SessionAsync(name, new SessionOptions { Durability = durability });
        return (session, cluster.HostOf((await session.GetInfoAsync()).Silo));
    }

    [Fact]
    public async Task Handoff_agent_B_through_another_gateway_sees_agent_A_writes_at_once_from_the_live_grain()
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        var agentA = await cluster.ClientAsync(CallTimeout, cluster.Silos[0]);
        var agentB = await cluster.ClientAsync(CallTimeout, cluster.Silos[1]);

        var a = await agentA.SessionAsync("call-123", new SessionOptions { Project = "acme", Durability = SessionDurability.Ephemeral });
        await a.AddDocsAsync([Doc(1), Doc(2), Doc(3)]);
        var b = await agentB.SessionAsync("call-123", new SessionOptions { Project = "acme" });

        Assert.Equal(3, await b.GetDocCountAsync());
        var result = await b.QueryAsync("refund 2", new QueryOptions { TopK = 1, Alpha = 0 });
        Assert.Equal("w2", result.Docs[0].Id);
        var (infoA, infoB) = (await a.GetInfoAsync(), await b.GetInfoAsync());
        Assert.Equal(infoA.ActivationId, infoB.ActivationId);
        Assert.Null(infoB.LatestVersion); // never pushed: B read the live grain, not a blob
    }

    [Fact]
    public async Task Kill_9_of_the_host_during_an_acknowledged_write_loop_loses_no_acknowledged_write()
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        var (opened, host) = await OpenAsync(cluster, "ack-loop", SessionDurability.Acknowledged);
        var survivors = cluster.Silos.Where(s => s != host).ToArray();
        var writer = await cluster.ClientAsync(CallTimeout, survivors);
        var session = await writer.SessionAsync("ack-loop");

        const int Writes = 60, KillAfter = 20;
        var acknowledged = new List<string>();
        int failedCalls = 0;
        var longestWait = TimeSpan.Zero;
        var killAt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killer = killAt.Task.ContinueWith(_ => host.Kill(), TaskScheduler.Default);
        var deadline = Stopwatch.StartNew();
        for (int i = 0; acknowledged.Count < Writes; i++)
        {
            var started = Stopwatch.StartNew();
            int write = i;
            // A failed call is not acknowledged: the write may or may not be applied; the agent retries it (upsert is idempotent).
            failedCalls += (await UntilItAnswersAsync(() => session.AddDocsAsync([Doc(write)]), deadline, TimeSpan.FromMinutes(2))).Failures;
            longestWait = started.Elapsed > longestWait ? started.Elapsed : longestWait;
            acknowledged.Add($"w{i}");
            if (acknowledged.Count == KillAfter)
            {
                killAt.SetResult();
            }
        }

        await killer;
        var info = await session.GetInfoAsync();
        Assert.NotEqual(host, cluster.HostOf(info.Silo));
        var stored = (await session.GetDocsAsync()).Select(d => d.Id).ToHashSet();
        var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
        output.WriteLine($"acknowledged {acknowledged.Count}, present {stored.Count}, missing {missing.Count}, failed calls {failedCalls}, longest wait for one write {longestWait.TotalSeconds:F2} s");
        Assert.Empty(missing);
        Assert.Equal(Writes, acknowledged.Count);
        Assert.Equal(opened.Key, session.Key);
    }

    [Fact]
    public async Task A_hung_SIGSTOPped_host_is_declared_dead_and_its_session_answers_on_a_survivor()
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        var (_, host) = await OpenAsync(cluster, "hung", SessionDurability.Acknowledged);
        var survivors = cluster.Silos.Where(s => s != host).ToArray();
        var client = await cluster.ClientAsync(CallTimeout, survivors);
        var session = await client.SessionAsync("hung");
        await session.AddDocsAsync([Doc(1), Doc(2)]);

        Assert.Equal(0, await host.SignalAsync("STOP"));
        var stopped = Stopwatch.StartNew();
        int count = (await UntilItAnswersAsync(() => session.GetDocCountAsync(), stopped, TimeSpan.FromSeconds(60))).Result;

        output.WriteLine($"hung silo: session answered on a survivor after {stopped.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(2, count);
        Assert.NotEqual(host, cluster.HostOf((await session.GetInfoAsync()).Silo));
        await host.SignalAsync("CONT"); // it learns it was declared dead and stops itself; disposal makes sure
    }

    [Fact]
    public async Task SIGTERM_flushes_checkpoint_sessions_before_the_silo_leaves()
    {
        await using var cluster = await LocalCluster.StartAsync(3, output.WriteLine);
        var (_, host) = await OpenAsync(cluster, "graceful", SessionDurability.Checkpoint);
        var client = await cluster.ClientAsync(CallTimeout, cluster.Silos.Where(s => s != host).ToArray());
        var session = await client.SessionAsync("graceful");
        await session.AddDocsAsync(Enumerable.Range(0, 12).Select(Doc));
        Assert.Null((await session.GetInfoAsync()).LatestVersion);

        await host.TerminateAsync(TimeSpan.FromSeconds(60));
        Assert.Contains(host.Process.Lines, l => l.Contains("flushed to version", StringComparison.Ordinal));

        var info = await session.GetInfoAsync();
        Assert.NotEqual(host, cluster.HostOf(info.Silo));
        Assert.Equal(12, info.DocCount);
        Assert.NotNull(info.LatestVersion);
    }

    [Fact]
    public async Task A_corrupt_binary_in_the_store_is_refused_and_the_pointer_is_left_alone()
    {
        await using var cluster = await LocalCluster.StartAsync(1, output.WriteLine);
        var client = await cluster.ClientAsync(CallTimeout, cluster.Silos);
        var session = await client.SessionAsync("corrupt", new SessionOptions { Durability = SessionDurability.Ephemeral });
        await session.AddDocsAsync([Doc(1), Doc(2)]);
        var push = await session.PushIndexAsync();

        var container = new BlobServiceClient(cluster.Azurite.ConnectionString).GetBlobContainerClient($"moss-{cluster.ClusterId}-indexes");
        var versionBlob = container.GetBlobClient($"default/corrupt/versions/{push.Version}.mossidx");
        byte[] bytes = (await versionBlob.DownloadContentAsync()).Value.Content.ToArray();
        await versionBlob.UploadAsync(new BinaryData(bytes[..(bytes.Length / 2)]), overwrite: true);
        var pointer = container.GetBlobClient("default/corrupt/latest.json");
        // The version the pointer names (its owner number moves with every open, by design: see docs/sessions.md).
        var pointerBefore = IndexStore.Versions.LatestPointer.FromJson((await pointer.DownloadContentAsync()).Value.Content.ToArray(), "default/corrupt").Version;

        await using (var orleans = await cluster.OrleansClientAsync(CallTimeout))
        {
            // Deactivate everything (an Ephemeral session pushes nothing on the way out), so the next call hydrates again.
            await orleans.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            var error = await Assert.ThrowsAsync<IndexFormatException>(() => session.GetDocCountAsync());
            output.WriteLine(error.Message);
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(pointerBefore, IndexStore.Versions.LatestPointer.FromJson((await pointer.DownloadContentAsync()).Value.Content.ToArray(), "default/corrupt").Version);
    }

    [Fact]
    public async Task The_silo_is_healthy_and_a_local_session_hydrates_from_the_store_and_pushes_back_a_version_the_grain_resumes()
    {
        await using var cluster = await LocalCluster.StartAsync(1, output.WriteLine);
        using (var http = new HttpClient { BaseAddress = cluster.Silos[0].HttpBase })
        {
            Assert.Equal("Healthy", await http.GetStringAsync(new Uri("/health", UriKind.Relative)));
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri("/dashboard/", UriKind.Relative))).StatusCode);
        }

        // Nothing here is timed: a generous response timeout keeps a busy machine from failing the first call.
        var client = await cluster.ClientAsync(TimeSpan.FromSeconds(30), cluster.Silos);
        var shared = await client.SessionAsync("catalog", new SessionOptions { Durability = SessionDurability.Ephemeral });
        await shared.AddDocsAsync([Doc(1), Doc(2)]);
        var first = await shared.PushIndexAsync();

        var local = await client.LocalSessionAsync("catalog");
        Assert.Equal("local", (await local.GetInfoAsync()).ActivationId);
        Assert.Equal(2, await local.GetDocCountAsync());
        Assert.Equal("w2", (await local.QueryAsync("refund 2", new QueryOptions { TopK = 1, Alpha = 0 })).Docs[0].Id);
        await local.AddDocsAsync([Doc(3)]);
        var second = await local.PushIndexAsync();
        Assert.Equal(first.Sequence + 1, second.Sequence);

        await using (var orleans = await cluster.OrleansClientAsync(CallTimeout))
        {
            await orleans.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        }

        var info = await shared.GetInfoAsync();
        Assert.Equal(second.Version, info.LatestVersion);
        Assert.Equal(3, info.DocCount);
    }
}
