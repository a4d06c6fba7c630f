using System.Diagnostics;
using System.Text.Json.Nodes;
using MossGrains.Cli.Api;
using MossGrains.Cli.Input;
using MossGrains.Grains.Jobs;

namespace MossGrains.Cli.Indexing;

/// <summary>
/// Indexes documents the way any user of the API does: one add-docs job per batch (<c>POST …/indexes/{name}/jobs/add</c>),
/// each followed until it completes, reporting the documents processed so far.
/// </summary>
public sealed class Indexer(MossApi api, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Documents processed so far out of all, and the current job's status and phase.</summary>
    public delegate void ProgressHandler(int processed, int total, string status, string? phase);

    public async Task<IndexResult> RunAsync(string index, IReadOnlyList<IReadOnlyList<InputDocument>> batches, string? model, ProgressHandler progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(progress);
        long started = time.GetTimestamp();
        int total = batches.Sum(b => b.Count), done = 0;
        JsonNode? last = null;
        progress(0, total, "submitting", null);
        foreach (var batch in batches)
        {
            var body = new JsonObject { ["docs"] = new JsonArray([.. batch.Select(d => d.Json.DeepClone())]), ["upsert"] = true };
            if (model is not null)
            {
                body["model_id"] = model;
            }

            var accepted = await api.PostAsync(api.ProjectPath($"indexes/{Uri.EscapeDataString(index)}/jobs/add"), body, cancellationToken);
            string jobId = (string)accepted["job_id"]!;
            last = await FollowAsync(jobId, s => progress(done + Math.Min((int?)s["processed"] ?? 0, batch.Count), total, (string)s["status"]!, (string?)s["phase"]), cancellationToken);
            done += batch.Count;
            progress(done, total, "completed", null);
        }

        return new IndexResult(index, total, batches.Count, time.GetElapsedTime(started), (string?)last?["version"], (int?)last?["doc_count"] ?? 0);
    }

    /// <summary>Polls a job's status until it completes (HTTP has no completion event); a failed job is an error.</summary>
    private async Task<JsonNode> FollowAsync(string jobId, Action<JsonNode> onStatus, CancellationToken cancellationToken)
    {
        string path = api.ProjectPath($"jobs/{Uri.EscapeDataString(jobId)}");
        while (true)
        {
            var status = await api.GetAsync(path, cancellationToken);
            onStatus(status);
            string? state = (string?)status["status"];
            if (state == JobStatusNames.Of(JobState.Completed))
            {
                return status;
            }

            if (state == JobStatusNames.Of(JobState.Failed))
            {
                throw new MossApiException(ExitCodes.ServerError, $"job {jobId} failed: {(string?)status["error"] ?? "no error given"}");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
