using MossGrains.Grains.Security;

namespace MossGrains.Client.Security;

/// <summary>
/// Outgoing call filter of a project-bound client: every call carries the client's project and key in the request
/// context (<see cref="ProjectCredential"/>), where the silo's incoming filter checks them. Set here, on the way out,
/// they override whatever the calling code put under the same names.
/// </summary>
internal sealed class ProjectCredentialFilter(string project, string? key) : IOutgoingGrainCallFilter
{
    public string Project => project;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RequestContext.Set(ProjectCredential.ProjectEntry, project);
        if (key is null)
        {
            RequestContext.Remove(ProjectCredential.KeyEntry);
        }
        else
        {
            RequestContext.Set(ProjectCredential.KeyEntry, key);
        }

        return context.Invoke();
    }
}
