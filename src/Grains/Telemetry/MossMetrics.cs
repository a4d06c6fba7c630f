using System.Diagnostics.Metrics;
using MossGrains.Grains.Jobs;

namespace MossGrains.Grains.Telemetry;

/// <summary>
/// MossGrains' own meter (<see cref="MeterName"/>), beside Orleans' (<c>Microsoft.Orleans</c>): query latency, documents
/// written, live sessions and loaded indexes, refresh outcomes and job outcomes. The silo exports both for Prometheus.
/// </summary>
public sealed class MossMetrics
{
    public const string MeterName = "MossGrains";

    private readonly Histogram<double> _queryDuration;
    private readonly Counter<long> _docsWritten;
    private readonly UpDownCounter<long> _activeSessions;
    private readonly UpDownCounter<long> _loadedIndexes;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _jobs;

    public MossMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _queryDuration = meter.CreateHistogram<double>("moss.query.duration", "ms", "Time a query takes in its grain, embedding included");
        _docsWritten = meter.CreateCounter<long>("moss.docs.written", "{document}", "Documents added, replaced or deleted in sessions and by jobs");
        _activeSessions = meter.CreateUpDownCounter<long>("moss.sessions.active", "{session}", "Session grains active on this silo");
        _loadedIndexes = meter.CreateUpDownCounter<long>("moss.indexes.loaded", "{index}", "Loaded-index grains active on this silo");
        _refreshes = meter.CreateCounter<long>("moss.index.refreshes", "{refresh}", "Refresh checks of loaded indexes, by outcome (swapped, unchanged, failed)");
        _jobs = meter.CreateCounter<long>("moss.jobs.finished", "{job}", "Mutation jobs finished, by status (completed, failed)");
    }

    /// <summary><paramref name="target"/>: <c>session</c> or <c>index</c>.</summary>
    public void Queried(string target, double milliseconds) => _queryDuration.Record(milliseconds, new KeyValuePair<string, object?>("target", target));

    public void DocsWritten(string operation, int count) => _docsWritten.Add(count, new KeyValuePair<string, object?>("operation", operation));

    public void SessionActivated(int delta) => _activeSessions.Add(delta);

    public void IndexActivated(int delta) => _loadedIndexes.Add(delta);

    /// <summary><paramref name="outcome"/>: <c>swapped</c>, <c>unchanged</c> or <c>failed</c>.</summary>
    public void Refreshed(string outcome) => _refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void JobFinished(JobState state) => _jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatusNames.Of(state)));
}
