namespace MossGrains.Grains.Security;

/// <summary>
/// An external client's call was refused: it names a grain of project <see cref="Project"/> and the client is not bound
/// to that project with a valid key (<c>MossClusterClientOptions.Project</c> and <c>Key</c>, checked against the silo's
/// <c>Moss:Http:Projects:{project}:Keys</c>), or it reached a grain no project-bound client may call. The HTTP API maps it to 403.
/// </summary>
[GenerateSerializer]
[Alias("moss.ProjectAccessDeniedException")]
public sealed class ProjectAccessDeniedException : UnauthorizedAccessException
{
    public ProjectAccessDeniedException()
    {
    }

    public ProjectAccessDeniedException(string message)
        : base(message)
    {
    }

    public ProjectAccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProjectAccessDeniedException(string message, string? project)
        : base(message)
    {
        Project = project;
    }

    /// <summary>The project the refused call named (null when the grain belongs to no project, such as Orleans' management grain).</summary>
    [Id(0)]
    public string? Project { get; init; }
}
