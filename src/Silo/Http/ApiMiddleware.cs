namespace MossGrains.Silo.Http;

/// <summary>What runs before routing for the API.</summary>
internal static class ApiMiddleware
{
    /// <summary>
    /// Labels a request body JSON whatever its <c>Content-Type</c> said (<c>curl -d</c> sends form-urlencoded): the API
    /// reads every body as JSON, and routing would otherwise refuse the request with 415. It runs before routing, so it
    /// looks at the path, case-insensitively as the router does; it decides nothing about access.
    /// </summary>
    public static Task ReadBodiesAsJsonAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(MossHttpExtensions.BasePath, StringComparison.OrdinalIgnoreCase) && !request.HasJsonContentType())
        {
            request.ContentType = "application/json";
        }

        return next(context);
    }
}
