using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace MossGrains.Silo.Http.Authentication;

/// <summary>
/// Who may call what, as ASP.NET Core authentication schemes and authorization policies attached to endpoints: the API's
/// route group requires <see cref="ProjectPolicy"/> (the route's <c>{project}</c> is one of the caller's), the dashboard
/// <see cref="OperatorPolicy"/>, and every endpoint that declares nothing is an operator's only
/// (<see cref="UndeclaredEndpointRequirement"/>), so a new endpoint is closed until someone opens it. No decision reads the request path: the router has matched the
/// endpoint, whatever spelling reached it.
/// </summary>
public static class MossAuthentication
{
    /// <summary>Scheme of project keys (<c>X-Moss-Key</c> or <c>Authorization: Bearer</c>); its challenge asks for a bearer key.</summary>
    public const string ProjectScheme = "MossProjectKey";

    /// <summary>Scheme of operator keys (also the password of HTTP Basic, so that a browser asks for it).</summary>
    public const string OperatorScheme = "MossOperatorKey";

    /// <summary>The route value <c>{project}</c> is one of the caller's projects.</summary>
    public const string ProjectPolicy = "MossProject";

    /// <summary>The caller holds an operator's key (the cluster-wide views).</summary>
    public const string OperatorPolicy = "MossOperator";

    /// <summary>Claim naming a project the caller's key belongs to.</summary>
    public const string ProjectClaim = "moss:project";

    /// <summary>Claim of a caller that may use every project (no project key is configured: the API is open).</summary>
    public const string AnyProjectClaim = "moss:any-project";

    /// <summary>Claim of an operator.</summary>
    public const string OperatorClaim = "moss:operator";

    /// <summary>Registers both schemes and the policies, with <see cref="UndeclaredEndpointRequirement"/> as the fallback of endpoints that declare nothing.</summary>
    public static IServiceCollection AddMossAuthentication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAuthentication(ProjectScheme)
            .AddScheme<MossKeyOptions, MossKeyHandler>(ProjectScheme, o => o.Operator = false)
            .AddScheme<MossKeyOptions, MossKeyHandler>(OperatorScheme, o => o.Operator = true);
        services.AddSingleton<IAuthorizationHandler, ProjectAccessHandler>();
        services.AddSingleton<IAuthorizationHandler, UndeclaredEndpointHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ProjectPolicy, p => p.AddAuthenticationSchemes(ProjectScheme).AddRequirements(new ProjectAccessRequirement()))
            .AddPolicy(OperatorPolicy, p => Operator(p))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(OperatorScheme).AddRequirements(new UndeclaredEndpointRequirement()).Build());
        return services;
    }

    private static AuthorizationPolicyBuilder Operator(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(OperatorScheme).RequireClaim(OperatorClaim);
}

/// <summary>Options of a key scheme: whether it authenticates operators (else projects).</summary>
public sealed class MossKeyOptions : AuthenticationSchemeOptions
{
    public bool Operator { get; set; }
}
