using System.Diagnostics;
using MossGrains.Client.Indexes;
using MossGrains.Client.Jobs;
using MossGrains.Engine.Session;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Sessions;

namespace MossGrains.Grains.Tests;

public sealed class MutationJobTests(SessionClusterFixture fixture) : IClassFixture<SessionClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string NewName() => $"j-{Guid.NewGuid():N}";

    private static DocumentInfo[] Docs(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(i => new DocumentInfo($"d{i}", $"catalog entry {i}: a product that ships in {i % 7} days"))];

    private async Task<JobStatus> CompletedAsync(string jobId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var status = await fixture.Moss.WaitForJobAsync(jobId, timeout.Token);
        Assert.True(status.State == JobState.Completed, $"job {jobId} ended {JobStatusNames.Of(status.State)}: {status.Error}");
        return status;
    }

    [Fact]
    public async Task Ten_concurrent_jobs_of_100_docs_on_one_index_leave_exactly_1000_more_documents()
    {
        string name = NewName();
        var seed = await CompletedAsync(await fixture.Moss.AddDocsAsync(name, Docs(0, 50)));
        Assert.Equal((1L, 50), (seed.Sequence, seed.DocCount));

        var jobs = await Task.WhenAll(Enumerable.Range(0, 10).Select(j => fixture.Moss.AddDocsAsync(name, Docs(50 + (100 * j), 100))));
        var done = await Task.WhenAll(jobs.Select(CompletedAsync));

        Assert.Equal(Enumerable.Range(2, 10).Select(i => (long)i), done.Select(s => s.Sequence).Order());
        Assert.Equal(1050, done.Max(s => s.DocCount));
        Assert.All(done, s => Assert.Equal((100, 100), (s.Processed, s.Total)));
        Assert.Equal(1050, (await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { AutoRefresh = false })).DocCount);
    }

    [Fact]
    public async Task A_job_goes_pending_upload_uploading_building_with_its_phase_then_completed()
    {
        string key = IndexKey.For(IndexKey.DefaultProject, NewName());
        var job = fixture.Client.GetGrain<IJobGrain>(Guid.NewGuid().ToString("N"));
        var started = await job.StartAsync(new JobSpec(key, JobKind.AddDocs, 600, GatedEmbedder.Id));
        Assert.Equal((JobState.PendingUpload, 0), (started.State, started.Processed));

        var records = Docs(0, 600).Select(d => new DocumentRecord(d.Id, d.Text)).ToArray();
        Assert.Equal((JobState.Uploading, 300), ((await job.UploadAsync(new JobUpload(records[..300]))).State, 300));
        var uploaded = await job.UploadAsync(new JobUpload(records[300..]));
        Assert.Equal((JobState.Uploading, 600), (uploaded.State, uploaded.Processed));
        await Assert.ThrowsAsync<ArgumentException>(() => job.UploadAsync(new JobUpload(records[..1])));

        using var gate = new ManualResetEventSlim(false);
        fixture.Gated.Documents = gate;
        try
        {
            var submitted = await job.SubmitAsync();
            Assert.Equal(JobState.Building, submitted.State);
            Assert.True(await fixture.Gated.DocumentsEntered.WaitAsync(Patience));
            var building = await job.GetStatusAsync();
            Assert.Equal((JobState.Building, JobPhase.GeneratingEmbeddings), (building.State, building.Phase));
            Assert.NotNull(building.Silo);
        }
        finally
        {
            fixture.Gated.Documents = null;
            gate.Set();
        }

        var completed = await CompletedAsync(job.GetPrimaryKeyString());
        Assert.Equal((JobPhase.None, 600, 600, 1L), (completed.Phase, completed.Processed, completed.DocCount, completed.Sequence));
        Assert.NotNull(completed.Version);
        Assert.Null(completed.Error);
    }

    [Fact]
    public async Task A_bad_job_fails_with_the_reason_and_publishes_nothing_and_a_delete_job_deletes()
    {
        string name = NewName();
        var seed = await CompletedAsync(await fixture.Moss.AddDocsAsync(name, Docs(0, 5)));

        string refused = await fixture.Moss.AddDocsAsync(name, Docs(3, 4), new MutationJobOptions { Upsert = false });
        using var timeout = new CancellationTokenSource(Patience);
        var failed = await fixture.Moss.WaitForJobAsync(refused, timeout.Token);
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Contains("\"d3\" already exists and Upsert is false", failed.Error, StringComparison.Ordinal);
        Assert.Equal(seed.Version, (await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { AutoRefresh = false })).Version);

        var deleted = await CompletedAsync(await fixture.Moss.DeleteDocsAsync(name, ["d0", "d4", "never-there"]));
        Assert.Equal((3, 2L), (deleted.DocCount, deleted.Sequence));
    }

    [Fact]
    public async Task A_loaded_index_serves_a_completed_jobs_version_without_waiting_for_its_interval()
    {
        string name = NewName();
        await CompletedAsync(await fixture.Moss.AddDocsAsync(name, Docs(0, 3)));
        await fixture.Moss.LoadIndexAsync(name, new LoadIndexOptions { PollingInterval = TimeSpan.FromHours(1) });

        var second = await CompletedAsync(await fixture.Moss.AddDocsAsync(name, Docs(3, 4)));
        var clock = Stopwatch.StartNew();
        while ((await fixture.Moss.GetIndexInfoAsync(name)).Version != second.Version)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the loaded index never took the job's version");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(7, (await fixture.Moss.QueryIndexAsync(name, "product ships", new QueryOptions { TopK = 10 })).Docs.Count);
    }

    [Fact]
    public async Task Job_ids_and_inputs_are_checked()
    {
        var malformed = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Moss.GetJobStatusAsync("job-1"));
        Assert.Equal("jobId", malformed.ParamName);
        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Moss.GetJobStatusAsync(Guid.NewGuid().ToString("N")));
        Assert.Contains("There is no job", unknown.Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Moss.AddDocsAsync(NewName(), []));
        Assert.Contains("1 to 1,000,000", empty.Message, StringComparison.Ordinal);
    }
}
