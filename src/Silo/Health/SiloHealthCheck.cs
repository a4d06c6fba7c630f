using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MossGrains.Silo.Health;

/// <summary>Healthy from the moment the silo has joined its cluster and started until it begins to shut down.</summary>
internal sealed class SiloHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("The silo is shutting down.")
            : lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The silo is starting."));
}
