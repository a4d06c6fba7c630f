using Microsoft.Extensions.Logging;

namespace MossGrains.Grains.Registry;

/// <summary>
/// How grains tell their project's registry of a change: after the change itself is durable, waiting a bounded time. A
/// registry that cannot be reached (its silo just died) does not fail the caller's call: the entry is recorded again at
/// the grain's next change, and lists add what live silos hold meanwhile.
/// </summary>
internal static partial class RegistryRecording
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public static async Task TryRecordAsync(this IGrainFactory grains, string project, Func<IProjectRegistryGrain, Task> record, TimeProvider time, ILogger logger)
    {
        try
        {
            await record(grains.GetGrain<IProjectRegistryGrain>(project)).WaitAsync(Bound, time);
        }
        catch (Exception e)
        {
            LogNotRecorded(logger, e, project);
        }
    }

    [LoggerMessage(100, LogLevel.Warning, "Project {Project}: the registry could not record a change now; it is recorded at the next one")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string project);
}
