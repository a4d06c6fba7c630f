namespace MossGrains.Silo.Http;

/// <summary>
/// What the OpenAPI document says of an endpoint. The handlers read their bodies themselves (<see cref="HttpJson"/>) and
/// return <see cref="IResult"/>, so the generator can infer neither: each endpoint declares its body and its answers here.
/// The problems every <c>/v1</c> endpoint can answer (400, 401, 403, 404, 500, 503) come from <see cref="ApiProblems"/>.
/// </summary>
internal static class ApiMetadata
{
    public const string Json = "application/json";

    /// <summary>A JSON body of type <typeparamref name="T"/>; <paramref name="optional"/> when an empty body means the defaults. Adds 413 (body over the limit).</summary>
    public static RouteHandlerBuilder Body<T>(this RouteHandlerBuilder endpoint, bool optional = false)
        where T : notnull =>
        endpoint.Accepts<T>(optional, Json).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    /// <summary>A JSON answer of type <typeparamref name="T"/> with <paramref name="status"/> (200 unless told).</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder endpoint, int status = StatusCodes.Status200OK) =>
        endpoint.Produces<T>(status, Json);

    /// <summary>Further problems this endpoint can answer besides those of every endpoint.</summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (int status in statuses)
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

    /// <summary>The problems of every endpoint of the group: bad input (400, naming the field), no or a wrong key (401, 403), not found (404), over the project's rate (429), a failure (500), a failover (503 with <c>Retry-After</c>).</summary>
    public static RouteGroupBuilder ApiProblems(this RouteGroupBuilder group)
    {
        group.ProducesValidationProblem(StatusCodes.Status400BadRequest);
        foreach (int status in new[] { StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable })
        {
            group.ProducesProblem(status);
        }

        return group;
    }
}
