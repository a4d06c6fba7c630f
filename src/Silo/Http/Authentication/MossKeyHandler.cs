using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MossGrains.Silo.Http.Authentication;

/// <summary>
/// Authenticates a presented key against <see cref="ProjectKeys"/> (SHA-256 hashes, compared in constant time). The
/// project scheme yields a claim per project of the key (or <see cref="MossAuthentication.AnyProjectClaim"/> while no
/// project key is configured); the operator scheme yields <see cref="MossAuthentication.OperatorClaim"/> for an
/// operator's key. Challenges (401) and refusals (403) are problem documents.
/// </summary>
internal sealed class MossKeyHandler(IOptionsMonitor<MossKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder, ProjectKeys keys)
    : AuthenticationHandler<MossKeyOptions>(options, logger, encoder)
{
    private const string InvalidKey = "The key is not valid.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = PresentedKey(Request);
        var claims = Options.Operator ? OperatorClaims(key) : ProjectClaims(key);
        if (claims is null)
        {
            return Task.FromResult(key is null ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(InvalidKey));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    private List<Claim>? ProjectClaims(string? key)
    {
        if (keys.IsOpen)
        {
            return [new Claim(MossAuthentication.AnyProjectClaim, "true")];
        }

        var projects = key is null ? [] : keys.ProjectsOf(key);
        return projects.Count == 0 ? null : [.. projects.Select(p => new Claim(MossAuthentication.ProjectClaim, p))];
    }

    private List<Claim>? OperatorClaims(string? key) =>
        keys.CheckOperator(key) == KeyCheck.Allowed ? [new Claim(MossAuthentication.OperatorClaim, "true")] : null;

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Options.Operator && !keys.HasOperatorKeys && !keys.IsOpen)
        {
            await NoOperatorKeysAsync();
            return;
        }

        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = Options.Operator ? "Basic realm=\"MossGrains operators\", charset=\"UTF-8\"" : "Bearer";
        string detail = result.Failure is not null
            ? (Options.Operator ? "The key is not an operator's key." : InvalidKey)
            : Options.Operator
                ? $"Send an operator's key ({MossHttpOptions.Section}:OperatorKeys) as the password, or as 'Authorization: Bearer <key>'."
                : "Send the project's key as 'Authorization: Bearer <key>' or 'X-Moss-Key: <key>'.";
        await Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Options.Operator)
        {
            return keys.HasOperatorKeys
                ? Results.Problem("The key is not an operator's key.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(Context)
                : NoOperatorKeysAsync();
        }

        string detail = Context.GetRouteValue("project") is string project
            ? $"This key is not a key of project '{project}'."
            : "This key does not open this endpoint.";
        return Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(Context);
    }

    private Task NoOperatorKeysAsync() =>
        Results.Problem(
            $"This endpoint shows the whole cluster, so it takes an operator's key, and none is configured: set {MossHttpOptions.Section}:OperatorKeys or OperatorKeyHashes.",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden").ExecuteAsync(Context);

    /// <summary><c>X-Moss-Key</c>, else the token of <c>Authorization: Bearer</c>, else the password of <c>Authorization: Basic</c>.</summary>
    internal static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers["X-Moss-Key"] is [{ Length: > 0 } key])
        {
            return key;
        }

        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var authorization) || string.IsNullOrWhiteSpace(authorization.Parameter))
        {
            return null;
        }

        if (authorization.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return authorization.Parameter.Trim();
        }

        return authorization.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) ? BasicPassword(authorization.Parameter) : null;
    }

    private static string? BasicPassword(string credentials)
    {
        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credentials.Trim()));
            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 || colon == decoded.Length - 1 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
