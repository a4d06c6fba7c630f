using System.Text;
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

    /// <summary>
    /// The cluster-wide views (the Orleans Dashboard) take an operator's key, sent as a header or as the password of
    /// HTTP Basic authentication so that a browser asks for it.
    /// </summary>
    public static Task OperatorAsync(HttpContext context, RequestDelegate next, ProjectKeys keys)
    {
        if (!keys.HasOperatorKeys && !keys.IsOpen)
        {
            return Results.Problem(
                $"The dashboard shows the whole cluster, so it takes an operator's key, and none is configured: set {MossHttpOptions.Section}:OperatorKeys or OperatorKeyHashes.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden").ExecuteAsync(context);
        }

        var check = keys.CheckOperator(PresentedKey(context.Request) ?? BasicPassword(context.Request));
        if (check == KeyCheck.Allowed)
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Basic realm=\"MossGrains operators\", charset=\"UTF-8\"";
        return Results.Problem(
            check == KeyCheck.Missing ? "Send an operator's key (Moss:Http:OperatorKeys) as the password." : "The key is not an operator's key.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized").ExecuteAsync(context);
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

    private static string? BasicPassword(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        const string Basic = "Basic ";
        if (authorization is null || !authorization.StartsWith(Basic, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            string credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[Basic.Length..].Trim()));
            int colon = credentials.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : credentials[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Task Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context);
    }

    [LoggerMessage(1, LogLevel.Error, "HTTP {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
