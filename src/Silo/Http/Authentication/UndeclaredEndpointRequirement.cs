using Microsoft.AspNetCore.Authorization;

namespace MossGrains.Silo.Http.Authentication;

/// <summary>
/// The fallback of endpoints that declare no access of their own: only an operator opens them. A request that matched no
/// endpoint (routing answers 404) or only routing's method-mismatch endpoint (405) has nothing to open, and passes on to
/// that answer.
/// </summary>
public sealed class UndeclaredEndpointRequirement : IAuthorizationRequirement;

internal sealed class UndeclaredEndpointHandler : AuthorizationHandler<UndeclaredEndpointRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, UndeclaredEndpointRequirement requirement)
    {
        bool routed = context.Resource is HttpContext http && http.GetEndpoint() is RouteEndpoint;
        if (!routed || context.User.HasClaim(c => c.Type == MossAuthentication.OperatorClaim))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
