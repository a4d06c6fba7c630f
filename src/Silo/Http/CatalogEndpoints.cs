using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc;
using MossGrains.Grains.Limits;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Sessions;
using MossGrains.Silo.Catalog;

namespace MossGrains.Silo.Http;

/// <summary>
/// What the cluster holds, for the console and <c>moss status</c>: <c>GET /v1/projects/{project}/nodes | sessions |
/// indexes | jobs</c>. Sessions, indexes and jobs are the project's own, from its durable registry and what live silos hold. And
/// <c>GET /v1/projects/{project}/limits</c>: the project's quotas with their usage.
/// </summary>
internal static class CatalogEndpoints
{
    public static void MapCatalog(this RouteGroupBuilder project)
    {
        project.MapGet("/nodes", NodesAsync).Answers<NodesAnswer>();
        project.MapGet("/sessions", SessionsAsync).Answers<SessionsAnswer>();
        project.MapGet("/indexes", IndexesAsync).Answers<IndexesAnswer>();
        project.MapGet("/jobs", JobsAsync).Answers<JobsAnswer>();
        project.MapGet("/limits", LimitsAsync).Answers<LimitsAnswer>();
    }

    private static async Task<IResult> NodesAsync(string project, ClusterCatalog catalog, CancellationToken cancellationToken)
    {
        var page = await catalog.GetNodesAsync(cancellationToken);
        return HttpJson.Ok(new NodesAnswer(page.Items, catalog.LocalSilo, page.UnreachableSilos));
    }

    private static async Task<IResult> SessionsAsync(string project, [FromQuery] int? limit, ClusterCatalog catalog, CancellationToken cancellationToken)
    {
        var page = await catalog.GetSessionsAsync(project, ClusterCatalog.CheckLimit(limit), cancellationToken);
        return HttpJson.Ok(new SessionsAnswer(page.Items.Select(SessionEntry.From).ToList(), page.Total, page.UnreachableSilos));
    }

    private static async Task<IResult> IndexesAsync(string project, [FromQuery] int? limit, ClusterCatalog catalog, CancellationToken cancellationToken)
    {
        var page = await catalog.GetIndexesAsync(project, ClusterCatalog.CheckLimit(limit), cancellationToken);
        return HttpJson.Ok(new IndexesAnswer(page.Items.Select(IndexInfoAnswer.From).ToList(), page.Total, page.UnreachableSilos));
    }

    private static async Task<IResult> LimitsAsync(string project, ClusterCatalog catalog, IOptions<MossHttpOptions> http, CancellationToken cancellationToken) =>
        HttpJson.Ok(LimitsAnswer.From(await catalog.GetUsageAsync(project, cancellationToken), RequestRateAnswer.Of(http.Value, project)));

    private static async Task<IResult> JobsAsync(string project, [FromQuery] int? limit, ClusterCatalog catalog, CancellationToken cancellationToken)
    {
        var page = await catalog.GetJobsAsync(project, ClusterCatalog.CheckLimit(limit), cancellationToken);
        return HttpJson.Ok(new JobsAnswer(page.Items.Select(JobStatusAnswer.From).ToList(), page.Total, page.UnreachableSilos));
    }
}

/// <summary>The cluster's silos (active first, dead ones for an hour), the address of the silo that answered, and the active silos that did not answer within the bound.</summary>
public sealed record NodesAnswer(IReadOnlyList<NodeEntry> Nodes, string Silo, IReadOnlyList<string> UnreachableSilos);

/// <summary>Up to <c>limit</c> sessions by name (registered or live), how many there are in all, and the silos that could not be asked (their live state is missing).</summary>
public sealed record SessionsAnswer(IReadOnlyList<SessionEntry> Sessions, int Total, IReadOnlyList<string> UnreachableSilos);

/// <summary>Up to <c>limit</c> loaded indexes by name (registered or live), how many there are in all, and the silos that could not be asked.</summary>
public sealed record IndexesAnswer(IReadOnlyList<IndexInfoAnswer> Indexes, int Total, IReadOnlyList<string> UnreachableSilos);

/// <summary>Up to <c>limit</c> recent jobs (registered or live), newest first, how many are known in all, and the silos that could not be asked.</summary>
public sealed record JobsAnswer(IReadOnlyList<JobStatusAnswer> Jobs, int Total, IReadOnlyList<string> UnreachableSilos);

/// <summary>
/// A project's quotas (<c>Moss:Limits</c>), each with its usage: sessions in memory and jobs under way across the cluster;
/// for documents per session, the fullest session in memory; for bytes per index, the largest binary published since the
/// project's limits grain activated. A call that would go past a limit is refused (429 or 403) and changes nothing.
/// <paramref name="RequestRate"/> is the project's HTTP request rate on each silo (429 past it).
/// </summary>
public sealed record LimitsAnswer(string Project, LimitAnswer Sessions, LimitAnswer DocsPerSession, LimitAnswer IndexBytes, LimitAnswer ConcurrentJobs, RequestRateAnswer RequestRate)
{
    public static LimitsAnswer From(ProjectUsageView view, RequestRateAnswer requestRate)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (usage, fullest) = (view.Usage, view.FullestSession);
        var limits = usage.Limits;
        LimitAnswer Of(Quota quota, long used, string? of = null) => new(limits.LimitOf(quota), used, ProjectLimits.SettingPath(limits.Project, quota), of);
        return new(
            limits.Project,
            Of(Quota.Sessions, usage.Sessions),
            Of(Quota.DocsPerSession, fullest?.DocCount ?? 0, fullest is null ? null : IndexKey.Parse(fullest.Key).Name),
            Of(Quota.IndexBytes, usage.LargestIndexBytes, usage.LargestIndex is null ? null : IndexKey.Parse(usage.LargestIndex).Name),
            Of(Quota.ConcurrentJobs, usage.ConcurrentJobs),
            requestRate);
    }
}

/// <summary>A project's HTTP request rate on each silo: bursts of <paramref name="Burst"/>, refilled at <paramref name="RequestsPerSecond"/>, and the setting that changes it.</summary>
public sealed record RequestRateAnswer(int RequestsPerSecond, int Burst, string Setting)
{
    public static RequestRateAnswer Of(MossHttpOptions options, string project)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limit = options.RateLimitOf(project);
        return new(limit.RequestsPerSecond, limit.Burst, options.RateLimitSetting(project));
    }
}

/// <summary>One quota: its limit, its usage, the setting that raises it, and for per-session or per-index limits (<paramref name="Of"/>) the session or index at that usage.</summary>
public sealed record LimitAnswer(long Limit, long Usage, string Setting, string? Of = null);

/// <summary>
/// A session: its project and name, and its info as <c>GET …/sessions/{name}</c> gives it when a silo holds it (<c>Live</c>);
/// otherwise what the registry recorded at its last open or push (<c>DocCount</c> and <c>Dimensions</c> of the last push;
/// no activation or silo).
/// </summary>
public sealed record SessionEntry(
    string Project,
    string Name,
    string Key,
    string ModelId,
    int Dimensions,
    int DocCount,
    SessionDurability Durability,
    string? LatestVersion,
    bool Live,
    string? ActivationId,
    string? Silo)
{
    public static SessionEntry From(CatalogSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        string key = IndexKey.For(session.Project, session.Name);
        if (session.Live is { } info)
        {
            return new(session.Project, session.Name, key, info.ModelId, info.Dimensions, info.DocCount, info.Durability, info.LatestVersion, true, info.ActivationId, info.Silo);
        }

        var known = session.Registered!;
        return new(session.Project, session.Name, key, known.ModelId, known.Dimensions, known.DocCount, known.Durability, known.LatestVersion, false, null, null);
    }
}
