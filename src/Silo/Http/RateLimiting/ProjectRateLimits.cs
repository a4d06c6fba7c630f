using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace MossGrains.Silo.Http.RateLimiting;

/// <summary>
/// Per-project request rates (ASP.NET Core rate limiting, a token bucket per project and silo): the API's route group
/// requires <see cref="Policy"/>; a request past the bucket is answered 429 with <c>Retry-After</c>. Limits come from
/// <c>Moss:Http:RateLimit</c>, overridden per project by <c>Moss:Http:Projects:{project}:RateLimit</c>.
/// </summary>
public static class ProjectRateLimits
{
    /// <summary>Name of the rate-limiting policy of the API's route group.</summary>
    public const string Policy = "MossProjectRate";

    public static IServiceCollection AddMossRateLimits(this IServiceCollection services, MossHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                string project = http.GetRouteValue("project") as string ?? "";
                var limit = options.RateLimitOf(project);
                return RateLimitPartition.GetTokenBucketLimiter(project, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limit.Burst,
                    TokensPerPeriod = limit.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = (rejected, _) => RejectAsync(rejected, options);
        });
        return services;
    }

    private static ValueTask RejectAsync(OnRejectedContext rejected, MossHttpOptions options)
    {
        var http = rejected.HttpContext;
        string project = http.GetRouteValue("project") as string ?? "";
        var limit = options.RateLimitOf(project);
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : TimeSpan.FromSeconds(1);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        string setting = options.RateLimitSetting(project);
        return new ValueTask(Results.Problem(
            $"Project '{project}' is over its request rate of {limit.RequestsPerSecond}/s (bursts of {limit.Burst}) on this silo ({setting}); retry after the Retry-After seconds.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests").ExecuteAsync(http));
    }
}

/// <summary>A project's request rate on one silo: a bucket of <see cref="Burst"/> requests refilled at <see cref="RequestsPerSecond"/>.</summary>
public sealed class MossRateLimit
{
    /// <summary>
    /// Sustained requests per second. Default 5,000: above what a silo serves (measured on 2 cores: ~270 queries/s on one
    /// session, 1.1–1.7K/s spread over many small sessions), so it stops a flood without limiting a real client.
    /// </summary>
    public int RequestsPerSecond { get; set; } = 5000;

    /// <summary>Requests allowed at once above the sustained rate. Default 10,000.</summary>
    public int Burst { get; set; } = 10000;

    internal void Validate(string setting)
    {
        if (RequestsPerSecond < 1)
        {
            throw new InvalidOperationException($"{setting}:RequestsPerSecond ({RequestsPerSecond}) must be at least 1.");
        }

        if (Burst < 1)
        {
            throw new InvalidOperationException($"{setting}:Burst ({Burst}) must be at least 1.");
        }
    }
}
