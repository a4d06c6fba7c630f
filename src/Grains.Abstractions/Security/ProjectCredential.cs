namespace MossGrains.Grains.Security;

/// <summary>
/// Where a project-bound client's credential travels: two Orleans <c>RequestContext</c> entries, set on every call by the
/// client (<c>MossClusterClientOptions.Project</c>, <c>Key</c>) and checked by the silo on calls that come from an
/// external client. Silo-internal calls are told apart by their sender, never by these values.
/// </summary>
public static class ProjectCredential
{
    /// <summary>The project the client is bound to.</summary>
    public const string ProjectEntry = "moss.project";

    /// <summary>The project's key, as HTTP takes it in <c>Authorization: Bearer</c>.</summary>
    public const string KeyEntry = "moss.key";
}
