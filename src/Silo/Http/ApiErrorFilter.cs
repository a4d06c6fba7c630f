namespace MossGrains.Silo.Http;

/// <summary>
/// An endpoint filter on the API's route group: an exception of a handler becomes its problem document
/// (<see cref="ProblemMapping"/>), and one the API does not explain is logged and answered 500 without its details.
/// </summary>
internal sealed partial class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (Exception e) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            var problem = ProblemMapping.For(e);
            if (problem is null)
            {
                LogFailed(logger, e, http.Request.Method, http.Request.Path.Value ?? "");
                problem = Results.Problem("The server failed to handle the request; its log has the details.", statusCode: StatusCodes.Status500InternalServerError);
            }

            return problem;
        }
    }

    [LoggerMessage(1, LogLevel.Error, "HTTP {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}
