namespace MossGrains.Grains.Security;

/// <summary>
/// Marks a grain method (or every method of a grain interface) that only silos call: a job's progress reports, an
/// index's publish notices and replica sync, the index writer. The silo refuses such a call from an external client
/// whenever it checks that client (project keys configured, or the client bound to a project), even on its own project.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface, Inherited = false)]
public sealed class SiloInternalAttribute : Attribute;
