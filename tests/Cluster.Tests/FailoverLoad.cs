using System.Diagnostics;
using MossGrains.Testing;

namespace MossGrains.Cluster.Tests;

/// <summary>One HTTP call made while a silo fails: where it went, when it ended, and what it answered.</summary>
internal sealed record FailoverCall(string Silo, string Kind, TimeSpan EndedAt, TimeSpan Took, int Status, bool RetryAfter, string Body)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Loops of HTTP calls through chosen silos, recorded, until stopped: what a fleet of agents sees while a silo is killed
/// or hung. A call that reaches no silo (its process is gone) is recorded with status 0.
/// </summary>
internal sealed class FailoverLoad
{
    private readonly List<FailoverCall> _calls = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<FailoverCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public static HttpClient ClientOf(SiloProcess silo) => new() { BaseAddress = silo.HttpBase, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Sends <paramref name="request"/> and records the answer.</summary>
    public async Task<FailoverCall> SendAsync(SiloProcess silo, HttpClient http, string kind, Func<HttpRequestMessage> request)
    {
        var started = _clock.Elapsed;
        FailoverCall call;
        try
        {
            using var message = request();
            using var response = await http.SendAsync(message);
            call = new FailoverCall(silo.Name, kind, _clock.Elapsed, _clock.Elapsed - started, (int)response.StatusCode,
                response.Headers.RetryAfter is not null, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            call = new FailoverCall(silo.Name, kind, _clock.Elapsed, _clock.Elapsed - started, 0, false, e.Message);
        }

        lock (_calls)
        {
            _calls.Add(call);
        }

        return call;
    }

    /// <summary>
    /// Whether every silo of <paramref name="silos"/> answered its last <paramref name="streak"/> calls with success, each
    /// ending after <paramref name="since"/>.
    /// </summary>
    public bool Recovered(IEnumerable<SiloProcess> silos, TimeSpan since, int streak) => silos.All(s =>
    {
        var last = Calls.Where(c => c.Silo == s.Name && c.EndedAt > since).TakeLast(streak).ToArray();
        return last.Length == streak && last.All(c => c.Succeeded);
    });

    /// <summary>Errors per status, the longest call and the end of the last failed call after <paramref name="since"/>.</summary>
    public string Summary(TimeSpan since)
    {
        var after = Calls.Where(c => c.EndedAt > since).ToArray();
        var failed = after.Where(c => !c.Succeeded).ToArray();
        string statuses = string.Join(", ", after.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        var lastFailure = failed.Length == 0 ? TimeSpan.Zero : failed.Max(c => c.EndedAt) - since;
        var longest = after.Length == 0 ? TimeSpan.Zero : after.Max(c => c.Took);
        var notable = after.Where(c => c is { Succeeded: false, Status: not 0 } || c.Took > TimeSpan.FromSeconds(5))
            .Select(c => $"\n  {c.Kind} through {c.Silo}: {c.Status} after {c.Took.TotalSeconds:F1} s, ended {(c.EndedAt - since).TotalSeconds:F1} s after the failure{(c.Succeeded ? "" : ": " + c.Body)}");
        return $"{after.Length} calls after the failure ({statuses}); {failed.Length} errors; last error {lastFailure.TotalSeconds:F1} s after it; longest call {longest.TotalSeconds:F1} s{string.Concat(notable)}";
    }
}
