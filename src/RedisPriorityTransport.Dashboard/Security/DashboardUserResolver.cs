using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace RedisPriorityTransport.Dashboard.Security;

/// <summary>A user's role: the higher of what their role claims grant and what an admin assigned on the users page.</summary>
internal sealed class DashboardUserResolver(IOptions<DashboardOptions> options, RoleAssignments assignments)
{
    public async Task<DashboardUser> ResolveAsync(ClaimsPrincipal principal)
    {
        var name = principal.Identity?.Name;
        if (string.IsNullOrWhiteSpace(name))
            name = principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";
        var claimsRole = FromClaims(principal);
        var assigned = options.Value.UseRoleAssignments && name.Length > 0 ? await assignments.GetAsync(name) : DashboardRole.None;
        return new DashboardUser(name, claimsRole > assigned ? claimsRole : assigned, claimsRole, assigned);
    }

    DashboardRole FromClaims(ClaimsPrincipal principal)
    {
        var o = options.Value;
        if (principal.IsInRole(o.AdminRoleName))
            return DashboardRole.Admin;
        if (principal.IsInRole(o.ManagerRoleName))
            return DashboardRole.Manager;
        if (principal.IsInRole(o.OperatorRoleName))
            return DashboardRole.Operator;
        return principal.IsInRole(o.ViewerRoleName) ? DashboardRole.Viewer : DashboardRole.None;
    }
}
