namespace RedisPriorityTransport.Dashboard.Security;

/// <summary>The signed-in user as the dashboard sees them: their name (as written to the audit) and effective role.</summary>
internal sealed record DashboardUser(string Name, DashboardRole Role, DashboardRole ClaimsRole, DashboardRole AssignedRole)
{
    public bool May(DashboardPermission permission) => RoleMatrix.Allows(Role, permission);

    public bool MaySetLevel(Urgency urgency) => RoleMatrix.AllowsLevel(Role, urgency);
}
