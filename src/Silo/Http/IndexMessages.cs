using MossGrains.Client.Indexes;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Naming;
using MossGrains.Silo.Catalog;

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

/// <summary>
/// A loaded index: the version it serves, its doc count and model, when it was loaded and checked, its refresh settings
/// (interval in seconds), and the silo holding it. In a list, <c>Live</c> is false for an index no silo answered for (its
/// silo died, or it is loading again): the rest is what the registry recorded when it last loaded or swapped a version.
/// </summary>
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
    string? Silo,
    bool Live = true)
{
    public static IndexInfoAnswer From(IndexInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var (project, name) = IndexKey.Parse(info.Key);
        return new(project, name, info.ModelId, info.DocCount, info.Version, info.Sequence, info.LoadedAt, info.LastCheck, info.NextCheck,
            info.LastRefreshError, info.AutoRefresh, info.PollingInterval.TotalSeconds, info.ServeFromEverySilo, info.Silo);
    }

    public static IndexInfoAnswer From(CatalogIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Live is { } info)
        {
            return From(info);
        }

        var known = index.Registered!;
        return new(index.Project, index.Name, known.ModelId, known.DocCount, known.Version, known.Sequence, known.LoadedAt, null, null, null,
            known.Settings.AutoRefresh, known.Settings.Interval.TotalSeconds, known.Settings.ServeFromEverySilo, null, Live: false);
    }
}
