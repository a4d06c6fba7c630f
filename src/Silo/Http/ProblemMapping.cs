using System.Text.Json;
using MossGrains.Engine.Persistence;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Security;
using MossGrains.Grains.Sessions;

namespace MossGrains.Silo.Http;

/// <summary>
/// Exceptions of the API's calls as RFC 7807 problem details: bad input (the engine's <see cref="ArgumentException"/> with
/// the field in its ParamName and the limit in its message, or malformed JSON with its path) is 400 naming the field; an
/// unknown index or job 404; a body over the limit 413; a session or index still hydrating past the bound 503 with <c>Retry-After</c>.
/// </summary>
public static class ProblemMapping
{
    /// <summary>The problem for <paramref name="exception"/>, or null when it is not one the API explains (a 500).</summary>
    public static IResult? For(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge => TooLarge(e.Message),
            BadHttpRequestException e => Results.Problem(e.Message, statusCode: e.StatusCode),
            JsonException e => Invalid(string.IsNullOrEmpty(e.Path) ? "body" : e.Path, e.Message),
            ArgumentException e => Invalid(string.IsNullOrEmpty(e.ParamName) ? "request" : e.ParamName, e.Message),
            ProjectAccessDeniedException e => Results.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
            IndexNotFoundException e => Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Index not found"),
            KeyNotFoundException e => Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            HydrationPendingException e => new RetryAfterResult(
                Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Still loading from the store; retry"), e.RetryAfter),
            SessionWriteNotDurableException e => Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Write not acknowledged; retry it"),
            IndexFormatException e => Results.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Index binary refused"),
            InvalidOperationException e => Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
            TimeoutException e => Results.Problem(e.Message, statusCode: StatusCodes.Status504GatewayTimeout, title: "The cluster did not answer in time"),
            _ => null,
        };
    }

    /// <summary>Bad input in the request field <paramref name="field"/> (a JSON name such as <c>filter</c>, not a C# parameter).</summary>
    public static ArgumentException InvalidField(string field, string message) => new(message, field);

    public static IResult TooLarge(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: $"Invalid {field}");

    /// <summary>A problem answered with <c>Retry-After</c> (whole seconds, at least 1).</summary>
    private sealed class RetryAfterResult(IResult problem, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }
}
