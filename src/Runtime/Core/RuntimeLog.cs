using Microsoft.Extensions.Logging;
using MossGrains.Runtime.Membership;

namespace MossGrains.Runtime;

/// <summary>Source-generated log messages of the runtime.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1, LogLevel.Debug, "Activated {GrainId}")]
    public static partial void Activated(this ILogger logger, GrainId grainId);

    [LoggerMessage(2, LogLevel.Debug, "Deactivated {GrainId} ({Reason})")]
    public static partial void Deactivated(this ILogger logger, GrainId grainId, DeactivationReasonCode reason);

    [LoggerMessage(3, LogLevel.Information, "Duplicate activation of {GrainId}: the directory points at {Winner}; forwarding queued calls")]
    public static partial void DuplicateActivation(this ILogger logger, GrainId grainId, SiloAddress winner);

    [LoggerMessage(4, LogLevel.Warning, "Activation of {GrainId} failed")]
    public static partial void ActivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(5, LogLevel.Warning, "Deactivation of {GrainId} failed")]
    public static partial void DeactivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(6, LogLevel.Warning, "Timer callback of {GrainId} failed")]
    public static partial void TimerFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(7, LogLevel.Information, "Silo {Silo} unreachable for a call to {GrainId}; retrying through the directory")]
    public static partial void SiloUnreachable(this ILogger logger, SiloAddress silo, GrainId grainId);

    [LoggerMessage(8, LogLevel.Information, "Removing directory entries of dead silos {Silos}")]
    public static partial void RemovingDeadSilos(this ILogger logger, string silos);

    [LoggerMessage(9, LogLevel.Warning, "Directory clean-up of dead silos failed")]
    public static partial void DeadSiloCleanupFailed(this ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Silo {Silo} started ({Status})")]
    public static partial void SiloStarted(this ILogger logger, SiloAddress silo, SiloStatus status);

    [LoggerMessage(11, LogLevel.Information, "Silo {Silo} stopping: deactivating {Count} activations")]
    public static partial void SiloStopping(this ILogger logger, SiloAddress silo, int count);

    [LoggerMessage(12, LogLevel.Critical, "Silo {Silo} was declared dead by the cluster; stopping")]
    public static partial void DeclaredDead(this ILogger logger, SiloAddress silo);

    [LoggerMessage(13, LogLevel.Warning, "Reminder {Name} of {GrainId} failed")]
    public static partial void ReminderFailed(this ILogger logger, Exception exception, GrainId grainId, string name);

    [LoggerMessage(14, LogLevel.Information, "Reminder service owns {RangeCount} ring ranges with {ReminderCount} reminders")]
    public static partial void RemindersRefreshed(this ILogger logger, int rangeCount, int reminderCount);

    [LoggerMessage(15, LogLevel.Warning, "Reminder refresh failed")]
    public static partial void ReminderRefreshFailed(this ILogger logger, Exception exception);
}
