using MossGrains.Grains.Indexes;
using MossGrains.Grains.Jobs;
using MossGrains.Grains.Naming;
using MossGrains.Grains.Security;
using MossGrains.Silo.Http;
using Orleans.Serialization.Invocation;

namespace MossGrains.Silo.Security;

/// <summary>
/// Incoming call filter: a call from an external client (<see cref="CallOrigin"/>) reaches a grain only if the client's
/// credential (<see cref="ProjectCredential"/>: project and key, checked by <see cref="ProjectKeys"/> against
/// <c>Moss:Http:Projects</c>) allows the grain's project: a session, index, reader or writer by its key
/// <c>{project}/{name}</c>, a job by the index its spec names (also a <see cref="JobSpec"/> passed to start one). Grains
/// of no project (Orleans' management grain, grain services and the like) are refused to any client that is bound or must be. Silo-internal
/// calls (grain to grain, reminders, the silo's HTTP API, which authorized its caller itself) pass unchecked. With no key
/// configured, a client that names no project is unrestricted, as the HTTP API is.
/// </summary>
internal sealed partial class ProjectCallFilter(ProjectKeys keys, ILogger<ProjectCallFilter> logger) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CallOrigin.IsExternalClient(context.SourceId) && !IsRuntimeService(context.TargetId) && Refusal(context) is { } refusal)
        {
            LogRefused(logger, context.SourceId?.ToString() ?? "unknown", context.TargetId.ToString(), context.MethodName, refusal.Message);
            throw refusal;
        }

        return context.Invoke();
    }

    /// <summary>
    /// Orleans' own per-silo system targets, which every client calls to work at all (the cluster manifest when it
    /// connects, cancellation of calls). Grain services (<c>sys.svc.user.*</c>: the reminder service, the dashboard's
    /// silo service) are system targets too, but no client needs them: they are checked like grains, and refused.
    /// </summary>
    private static bool IsRuntimeService(GrainId target) => target.IsSystemTarget() && !target.Type.IsGrainService();

    private ProjectAccessDeniedException? Refusal(IIncomingGrainCallContext context)
    {
        string? bound = RequestContext.Get(ProjectCredential.ProjectEntry) as string;
        string? key = RequestContext.Get(ProjectCredential.KeyEntry) as string;
        if (bound is null)
        {
            return keys.IsOpen
                ? null
                : new ProjectAccessDeniedException(
                    "This cluster has project keys (Moss:Http:Projects): a client must be bound to a project with its key (MossClusterClientOptions.Project and Key).");
        }

        switch (keys.Check(bound, key))
        {
            case KeyCheck.Missing:
                return new ProjectAccessDeniedException($"The client is bound to project '{bound}' with no key; set MossClusterClientOptions.Key to one of the project's keys.", bound);
            case KeyCheck.Unknown or KeyCheck.Forbidden:
                return new ProjectAccessDeniedException($"The client's key is not one of project '{bound}''s keys (Moss:Http:Projects:{bound}:Keys).", bound);
        }

        if (context.InterfaceMethod is { } method && (method.IsDefined(typeof(SiloInternalAttribute), false) || method.DeclaringType?.IsDefined(typeof(SiloInternalAttribute), false) == true))
        {
            return new ProjectAccessDeniedException($"{context.InterfaceName}.{context.MethodName} is called only by silos, never by a client (this one is bound to project '{bound}').", bound);
        }

        if (context.Grain is not IProjectOwned owned)
        {
            return new ProjectAccessDeniedException(
                $"A client bound to project '{bound}' may call only that project's sessions, indexes and jobs, not {context.InterfaceName}.");
        }

        foreach (string? target in ArgumentProjects(context.Request).Prepend(owned.Project))
        {
            if (target is not null && !string.Equals(target, bound, StringComparison.Ordinal))
            {
                return new ProjectAccessDeniedException($"A client bound to project '{bound}' may not call project '{target}''s grain {context.TargetId.Key}.", target);
            }
        }

        return null;
    }

    /// <summary>
    /// The projects the arguments name: a job spec's (a job being started belongs to the index it names), and each index
    /// key asked of the index directory (a client may learn which of its own project's indexes exist, not another's).
    /// </summary>
    private static IEnumerable<string> ArgumentProjects(IInvokable request)
    {
        for (int i = 0; i < request.GetArgumentCount(); i++)
        {
            switch (request.GetArgument(i))
            {
                case JobSpec { IndexKey: { } indexKey }:
                    yield return IndexKey.Parse(indexKey).Project;
                    break;
                case IReadOnlyList<string> indexKeys when request.GetInterfaceType() == typeof(IIndexDirectoryGrain):
                    foreach (string key in indexKeys)
                    {
                        yield return IndexKey.Parse(key).Project;
                    }

                    break;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Refused a call from client {Client} to {Grain}.{Method}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string client, string grain, string method, string reason);
}
