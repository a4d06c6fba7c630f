using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace MossGrains.Http.Tests;

/// <summary>Small helpers over HttpClient for the API's JSON: raw JSON text in, parsed JSON out.</summary>
internal static class Api
{
    private static readonly string[] JobStates = ["pending_upload", "uploading", "building", "completed", "failed"];

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : Json(json) };
        var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    /// <summary>Sends and requires <paramref name="expected"/>, showing the body when it differs.</summary>
    public static async Task<JsonNode> ExpectAsync(HttpClient client, HttpMethod method, string path, string? json, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, body, _) = await SendAsync(client, method, path, json);
        Assert.True(status == expected, $"{method} {path}: {(int)status} {body?.ToJsonString()}");
        return body ?? new JsonObject();
    }

    public static Task<JsonNode> GetAsync(HttpClient client, string path) => ExpectAsync(client, HttpMethod.Get, path, null);

    public static Task<JsonNode> PostAsync(HttpClient client, string path, string? json) => ExpectAsync(client, HttpMethod.Post, path, json);

    /// <summary>
    /// Reads a job's status until it is completed or failed. HTTP gives no completion event, so this polls, as a client
    /// of the API would.
    /// </summary>
    public static async Task<JsonNode> WaitForJobAsync(HttpClient client, string project, string jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var status = await GetAsync(client, $"/v1/projects/{project}/jobs/{jobId}");
            string state = (string)status["status"]!;
            Assert.Contains(state, JobStates);
            if (state is "completed" or "failed")
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} still {state} after 2 minutes");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public static string[] Ids(JsonNode result) => [.. result["docs"]!.AsArray().Select(d => (string)d!["id"]!)];
}
