using System.Text.Json;
using System.Text.Json.Serialization;

namespace MossGrains.Silo.Http;

/// <summary>
/// JSON of the HTTP API in Moss's vocabulary: snake_case names (<c>top_k</c>, <c>doc_count</c>), enums as snake_case
/// strings, numbers as JSON numbers only, nulls left out of answers, and unknown request fields refused (a misspelt <c>topK</c> is an error, not a default).
/// </summary>
public static class HttpJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the API's rules to <paramref name="options"/> (also ASP.NET Core's, which the OpenAPI document is generated from).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.NumberHandling = JsonNumberHandling.Strict; // numbers are JSON numbers ("top_k": "5" is refused), as the schemas say
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        return options;
    }

    // Reading also refuses null where the contract says a value is required ({"query": null} names "query").
    private static readonly JsonSerializerOptions ReadOptions = new(Options) { RespectNullableAnnotations = true };

    public static IResult Ok<T>(T value) => Results.Json(value, Options);

    /// <summary>The request body as <typeparamref name="T"/>; an empty body or <c>null</c> is refused naming <c>body</c>.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength == 0)
        {
            throw ProblemMapping.InvalidField("body", $"The request has no body; expected a JSON object ({typeof(T).Name}).");
        }

        return await JsonSerializer.DeserializeAsync<T>(request.Body, ReadOptions, cancellationToken)
            ?? throw ProblemMapping.InvalidField("body", "The request body is null; expected a JSON object.");
    }

    /// <summary>The request body as <typeparamref name="T"/>, or its defaults when the body is empty.</summary>
    public static Task<T> ReadOptionalAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        bool empty = request.ContentLength == 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0);
        return empty ? Task.FromResult(new T()) : ReadAsync<T>(request, cancellationToken);
    }
}
