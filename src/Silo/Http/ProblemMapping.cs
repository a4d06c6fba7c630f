using System.Text.Json;
using MossGrains.Client;
using MossGrains.Engine.Persistence;
using MossGrains.Grains.Idempotency;
using MossGrains.Grains.Indexes;
using MossGrains.Grains.Limits;
using MossGrains.Grains.Security;
using MossGrains.Grains.Sessions;

namespace MossGrains.Silo.Http;

/// <summary>
/// Exceptions of the API's calls as RFC 7807 problem details: bad input (the engine's <see cref="ArgumentException"/> with
/// the field in its ParamName and the limit in its message, or malformed JSON with its path) is 400 naming the field; an
/// unknown index or job 404; a body over the limit 413; a session or index still hydrating past the bound, and every failure
/// of a failover (<see cref="MossUnavailableException"/>, <see cref="TransientClusterFailures"/>), 503 with <c>Retry-After</c>;
/// an idempotency key reused for another request 422; a conflicting push 409 naming both versions;
/// a project quota 429 with <c>Retry-After</c> when it frees itself (sessions, jobs) or 403 when it is capacity (documents, bytes).
/// </summary>
public static class ProblemMapping
{
    /// <summary>The problem for <paramref name="exception"/>, or null when it is not one the API explains (a 500).</summary>
    public static IResult? For(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge => TooLarge($"{e.Message} ({MossHttpOptions.Section}:MaxRequestBodyBytes)"),
            BadHttpRequestException e => Results.Problem(e.Message, statusCode: e.StatusCode),
            JsonException e => Invalid(JsonFieldNames.OfJsonError(e), e.Message),
            ArgumentException e => Invalid(JsonFieldNames.OfParameter(e.ParamName), JsonFieldNames.WithoutParameterSuffix(e)),
            ProjectAccessDeniedException e => Results.Problem(e.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
            IndexNotFoundException e => Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Index not found"),
            KeyNotFoundException e => Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            HydrationPendingException e => new RetryAfterResult(
                Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Still loading from the store; retry"), e.RetryAfter),
            SessionVersionConflictException e => Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Version conflict",
                extensions: new Dictionary<string, object?> { ["expectedVersion"] = e.ExpectedVersion, ["foundVersion"] = e.FoundVersion }),
            QuotaExceededException e => QuotaExceeded(e),
            MossUnavailableException e => Unavailable(e.Message, e.RetryAfter),
            IdempotencyKeyReusedException e => Results.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: $"{IdempotencyKeys.Header} reused"),
            SessionWriteNotDurableException e => new RetryAfterResult(
                Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Write not acknowledged; retry it"), MossUnavailableException.DefaultRetryAfter),
            IndexFormatException e => Results.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Index binary refused"),
            InvalidOperationException e => Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
            // Raw from a call made outside the client's retries (e.g. the catalog), or a timeout of one attempt.
            _ when TransientClusterFailures.Is(exception) => Unavailable(exception.Message, MossUnavailableException.DefaultRetryAfter),
            _ => null,
        };
    }

    private static RetryAfterResult Unavailable(string detail, TimeSpan retryAfter) => new(
        Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The cluster is failing over; retry"), retryAfter);

    /// <summary>Bad input in the request field <paramref name="field"/> (a JSON name such as <c>filter</c>, not a C# parameter).</summary>
    public static ArgumentException InvalidField(string field, string message) => new(message, field);

    public static IResult TooLarge(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: $"Invalid {field}");

    /// <summary>The quota's name, limit, usage and setting as members of the problem, beside the message that says them.</summary>
    private static IResult QuotaExceeded(QuotaExceededException e)
    {
        bool freesItself = QuotaNames.FreesItself(e.Quota);
        var problem = Results.Problem(
            e.Message,
            statusCode: freesItself ? StatusCodes.Status429TooManyRequests : StatusCodes.Status403Forbidden,
            title: $"Project quota reached: {QuotaNames.Of(e.Quota)}",
            extensions: new Dictionary<string, object?> { ["quota"] = QuotaNames.Of(e.Quota), ["limit"] = e.Limit, ["usage"] = e.Usage, ["setting"] = e.Setting });
        return freesItself ? new RetryAfterResult(problem, e.RetryAfter ?? TimeSpan.FromSeconds(1)) : problem;
    }

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
