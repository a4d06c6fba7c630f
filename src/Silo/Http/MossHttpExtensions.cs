using Microsoft.Extensions.Options;
using MossGrains.Client;
using MossGrains.Silo.Catalog;
using MossGrains.Silo.Hosting;
using MossGrains.Silo.Http.Authentication;
using MossGrains.Silo.Http.RateLimiting;

namespace MossGrains.Silo.Http;

/// <summary>The HTTP API (<c>/v1</c>) over an <see cref="IMossClient"/> on the silo's own Orleans client.</summary>
public static partial class MossHttpExtensions
{
    public const string BasePath = "/v1";

    /// <summary>Limits of loaded-index requests: <c>MaxIndexesPerQuery</c> (default 32).</summary>
    public const string IndexesSection = "Moss:Indexes";

    /// <summary>Where the OpenAPI document of the API is served (no key needed: it describes, it holds no data).</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>Reads and checks <c>Moss:Http</c> (refusing a cluster with no key unless <c>AllowAnonymous</c>) and registers the client and the keys.</summary>
    public static WebApplicationBuilder AddMossHttp(this WebApplicationBuilder builder, ClusteringMode clustering)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new MossHttpOptions();
        builder.Configuration.GetSection(MossHttpOptions.Section).Bind(options);
        options.Validate(clustering);
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(new ProjectKeys(options));
        builder.Services.AddMossAuthentication();
        builder.Services.AddMossRateLimits(options);
        builder.Services.AddProblemDetails();
        builder.Services.AddMossClient(o => builder.Configuration.GetSection(IndexesSection).Bind(o));
        builder.Services.AddSingleton<ClusterCatalog>();
        // The OpenAPI generator names schema properties by these options: the API's own (snake_case, enums as strings).
        builder.Services.ConfigureHttpJsonOptions(o => HttpJson.Configure(o.SerializerOptions));
        // Only the API: the dashboard and the health endpoint map routes of their own.
        builder.Services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith(BasePath[1..] + "/", StringComparison.Ordinal) == true;
            o.AddSchemaTransformer<OmittedNullsTransformer>();
        });
        return builder;
    }

    /// <summary>
    /// Maps every endpoint under <c>/v1/projects/{project}</c>. The route group carries what guards them, as endpoint
    /// metadata: the project policy (the caller's key is a key of <c>{project}</c>), the project's rate limit, the body
    /// limit, and the filter that turns exceptions into problem documents.
    /// </summary>
    public static WebApplication MapMossHttp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<MossHttpOptions>>().Value;
        var keys = app.Services.GetRequiredService<ProjectKeys>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MossGrains.Http");
        if (keys.IsOpen)
        {
            LogOpen(logger, MossHttpOptions.Section);
        }
        else
        {
            LogKeys(logger, options.Projects.Count);
        }

        var project = app.MapGroup(BasePath + "/projects/{project}")
            .ApiProblems()
            .RequireAuthorization(MossAuthentication.ProjectPolicy)
            .RequireRateLimiting(ProjectRateLimits.Policy)
            .WithMetadata(new RequestBodyLimit(options.MaxRequestBodyBytes))
            .AddEndpointFilter<RouteGroupBuilder, ApiErrorFilter>();
        project.MapSessions();
        project.MapIndexes();
        project.MapJobs();
        project.MapCatalog();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }

    [LoggerMessage(10, LogLevel.Warning, "The HTTP API is OPEN: no key is configured under {Section}:Projects, so any caller can read and write every project")]
    private static partial void LogOpen(ILogger logger, string section);

    [LoggerMessage(11, LogLevel.Information, "The HTTP API requires a project key: {Projects} projects have keys")]
    private static partial void LogKeys(ILogger logger, int projects);
}
