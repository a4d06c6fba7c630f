using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MossGrains.Cli.Api;

/// <summary>
/// The HTTP API (docs/http.md) as the CLI uses it: JSON in and out, the project's key on every request, and every failure
/// turned into a <see cref="MossApiException"/> with the exit code a script can rely on.
/// </summary>
public sealed class MossApi : IDisposable
{
    private readonly HttpClient _http;

    public MossApi(Uri baseUrl, string project, string? key, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        BaseUrl = baseUrl;
        Project = project;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = timeout ?? TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrEmpty(key))
        {
            _http.DefaultRequestHeaders.Add("X-Moss-Key", key);
        }
    }

    public Uri BaseUrl { get; }

    public string Project { get; }

    /// <summary>The path of a project's resource: <c>/v1/projects/{project}/{relative}</c>.</summary>
    public string ProjectPath(string relative) => $"/v1/projects/{Uri.EscapeDataString(Project)}/{relative}";

    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonNode> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body?.ToJsonString(), cancellationToken);

    /// <summary>Sends a request and returns its JSON answer (an empty object for an empty one).</summary>
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        string text = await SendForTextAsync(method, path, json, cancellationToken);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    /// <summary>Sends a request and returns its body as text; a non-success status becomes a <see cref="MossApiException"/>.</summary>
    public async Task<string> SendForTextAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new MossApiException(ExitCodes.CannotConnect, $"cannot connect to {BaseUrl}: {e.Message} (is the server running? set --url or MOSS_URL)", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MossApiException(ExitCodes.CannotConnect, $"no answer from {BaseUrl} within {_http.Timeout.TotalSeconds:0} s ({method} {path})", e);
        }

        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }

            throw new MossApiException(ExitCodeOf(response.StatusCode), Describe(method, path, response.StatusCode, text));
        }
    }

    public void Dispose() => _http.Dispose();

    private static int ExitCodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Auth,
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        _ => ExitCodes.ServerError,
    };

    /// <summary>The problem detail (RFC 7807) as one message: status, title, detail and each field's errors.</summary>
    private static string Describe(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        var message = new StringBuilder($"{method} {path}: {(int)status} {ReasonOf(status)}");
        JsonNode? problem = null;
        try
        {
            problem = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the body is shown as it is below.
        }

        if (problem is JsonObject o)
        {
            if (o["title"]?.ToString() is { Length: > 0 } title)
            {
                message.Append(": ").Append(title);
            }

            if (o["detail"]?.ToString() is { Length: > 0 } detail)
            {
                message.Append(" — ").Append(detail);
            }

            if (o["errors"] is JsonObject errors)
            {
                foreach (var (field, messages) in errors)
                {
                    message.Append("\n  ").Append(field).Append(": ").Append(messages is JsonArray a ? string.Join("; ", a.Select(m => m?.ToString())) : messages?.ToString());
                }
            }
        }
        else if (body.Length > 0)
        {
            message.Append(": ").Append(body.Length > 500 ? body[..500] : body);
        }

        if (status is HttpStatusCode.Unauthorized)
        {
            message.Append(" (pass the project's key with --key or MOSS_KEY)");
        }
        else if (status is HttpStatusCode.Forbidden)
        {
            message.Append(" (the key belongs to another project than --project)");
        }
        else if (status is HttpStatusCode.NotFound && problem is null)
        {
            message.Append(" (the server has no such endpoint: is it older than this CLI?)");
        }

        return message.ToString();
    }

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.RequestEntityTooLarge => "Request Entity Too Large",
        _ => System.Text.RegularExpressions.Regex.Replace(status.ToString(), "(?<=[a-z])(?=[A-Z])", " "),
    };
}
