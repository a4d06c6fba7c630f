using Microsoft.AspNetCore.Authorization;

namespace MossGrains.Silo.Http.Authentication;

/// <summary>The endpoint's <c>{project}</c> route value is a project of the caller's key.</summary>
public sealed class ProjectAccessRequirement : IAuthorizationRequirement;

/// <summary>
/// Meets <see cref="ProjectAccessRequirement"/> from the route value the router bound (ordinal: project names are
/// case-sensitive) and the caller's claims; an endpoint without <c>{project}</c> never meets it.
/// </summary>
internal sealed class ProjectAccessHandler : AuthorizationHandler<ProjectAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ProjectAccessRequirement requirement)
    {
        if (context.Resource is HttpContext http && http.GetRouteValue("project") is string project)
        {
            var user = context.User;
            if (user.HasClaim(c => c.Type == MossAuthentication.AnyProjectClaim)
                || user.HasClaim(c => c.Type == MossAuthentication.ProjectClaim && string.Equals(c.Value, project, StringComparison.Ordinal)))
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
