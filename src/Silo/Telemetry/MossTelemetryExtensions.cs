using MossGrains.Grains.Telemetry;
using OpenTelemetry.Metrics;

namespace MossGrains.Silo.Telemetry;

/// <summary>OpenTelemetry metrics of the silo — MossGrains' meter and Orleans' — exported for a Prometheus scrape at <see cref="MetricsPath"/>.</summary>
public static class MossTelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The meter Orleans publishes its own instruments on (messaging, grains, membership, reminders).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static WebApplicationBuilder AddMossTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MossMetrics.MeterName, OrleansMeter)
            // No cached answer: a scrape shows the instruments as they are (the exporter's default caches for 300 ms).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    public static WebApplication MapMossTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
        return app;
    }
}
