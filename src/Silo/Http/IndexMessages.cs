using MossGrains.Client.Indexes;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Naming;

namespace MossGrains.Silo.Http;

/// <summary><c>{"auto_refresh": true, "polling_interval": 600, "serve_from_every_silo": false}</c>, all optional; the interval in seconds.</summary>
public sealed class LoadIndexBody
{
    public bool? AutoRefresh { get; init; }

    public double? PollingInterval { get; init; }

    public bool? ServeFromEverySilo { get; init; }

    public LoadIndexOptions ToOptions(string project)
    {
        var defaults = new LoadIndexOptions();
        if (PollingInterval is { } seconds && (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds))
        {
            throw ProblemMapping.InvalidField("polling_interval", $"polling_interval is {seconds} s; it must be between {LoadIndexRequest.MinimumPollingInterval.TotalSeconds:0} and {LoadIndexRequest.MaximumPollingInterval.TotalSeconds:0} seconds.");
        }

        return new LoadIndexOptions
        {
            Project = project,
            AutoRefresh = AutoRefresh ?? defaults.AutoRefresh,
            PollingInterval = PollingInterval is { } s ? TimeSpan.FromSeconds(s) : defaults.PollingInterval,
            ServeFromEverySilo = ServeFromEverySilo ?? defaults.ServeFromEverySilo,
        };
    }
}

/// <summary>A loaded index: the version it serves, its doc count and model, when it was loaded and checked, and its refresh settings (interval in seconds).</summary>
public sealed record IndexInfoAnswer(
    string Project,
    string Name,
    string ModelId,
    int DocCount,
    string Version,
    long Sequence,
    DateTimeOffset LoadedAt,
    DateTimeOffset? LastCheck,
    DateTimeOffset? NextCheck,
    string? LastRefreshError,
    bool AutoRefresh,
    double PollingInterval,
    bool ServeFromEverySilo,
    string Silo)
{
    public static IndexInfoAnswer From(IndexInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var (project, name) = IndexKey.Parse(info.Key);
        return new(project, name, info.ModelId, info.DocCount, info.Version, info.Sequence, info.LoadedAt, info.LastCheck, info.NextCheck,
            info.LastRefreshError, info.AutoRefresh, info.PollingInterval.TotalSeconds, info.ServeFromEverySilo, info.Silo);
    }
}
