using Microsoft.AspNetCore.Http.Features;

namespace MossGrains.Silo.Http;

/// <summary>
/// What runs before every <c>/v1</c> endpoint, in this order: errors become problem details; the project's key is
/// checked (401 without a valid key, 403 with another project's); bodies over the limit are refused (413).
/// </summary>
internal static partial class ApiMiddleware
{
    public static async Task ProblemsAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var problem = ProblemMapping.For(e);
            if (problem is null)
            {
                LogFailed(logger, e, context.Request.Method, context.Request.Path.Value ?? "");
                problem = Results.Problem("The server failed to handle the request; its log has the details.", statusCode: StatusCodes.Status500InternalServerError);
            }

            await problem.ExecuteAsync(context);
        }
    }

    public static Task KeysAsync(HttpContext context, RequestDelegate next, ProjectKeys keys)
    {
        if (context.GetRouteValue("project") is not string project)
        {
            return next(context);
        }

        return keys.Check(project, PresentedKey(context.Request)) switch
        {
            KeyCheck.Allowed => next(context),
            KeyCheck.Forbidden => Results.Problem($"This key is not a key of project '{project}'.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context),
            var check => Unauthorized(context, check == KeyCheck.Missing
                ? "Send the project's key as 'Authorization: Bearer <key>' or 'X-Moss-Key: <key>'."
                : "The key is not valid."),
        };
    }

    public static Task BodyLimitAsync(HttpContext context, RequestDelegate next, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return ProblemMapping.TooLarge($"The request body has {context.Request.ContentLength} bytes; the limit is {maxBytes} (Moss:Http:MaxRequestBodyBytes).").ExecuteAsync(context);
        }

        // A chunked body has no length up front: the server stops reading it at the limit (BadHttpRequestException, 413).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        return next(context);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers["X-Moss-Key"] is [{ Length: > 0 } key])
        {
            return key;
        }

        string? authorization = request.Headers.Authorization;
        const string Bearer = "Bearer ";
        return authorization is not null && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? authorization[Bearer.Length..].Trim() : null;
    }

    private static Task Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context);
    }

    [LoggerMessage(1, LogLevel.Error, "HTTP {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
