namespace MossGrains.Grains.Security;

/// <summary>
/// A grain that belongs to one project: what the silo's call filter compares with an external client's project. Every
/// MossGrains grain implements it; a grain that does not (Orleans' own, such as the management grain) belongs to no
/// project and is refused to project-bound clients.
/// </summary>
public interface IProjectOwned
{
    /// <summary>The owning project; null while the grain belongs to none yet (a job that has not started).</summary>
    string? Project { get; }
}
