namespace RedisPriorityTransport.Dashboard.Security;

/// <summary>
/// The users' permission matrix, the one place the server decides what a role may do (pages hide buttons with the same
/// answers). Setting a level is allowed when the role may reach that level: up to 8 operator, 9 manager, 10 admin.
/// </summary>
internal static class RoleMatrix
{
    public static DashboardRole Minimum(DashboardPermission permission) => permission switch
    {
        DashboardPermission.View => DashboardRole.Viewer,
        DashboardPermission.PrioritizeUpTo8 or DashboardPermission.Retry => DashboardRole.Operator,
        DashboardPermission.Urgent or DashboardPermission.Cancel or DashboardPermission.Purge
            or DashboardPermission.PauseResume or DashboardPermission.RateLimit => DashboardRole.Manager,
        DashboardPermission.Critical or DashboardPermission.ManageUsers => DashboardRole.Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "Unknown dashboard permission."),
    };

    public static bool Allows(DashboardRole role, DashboardPermission permission) => role >= Minimum(permission);

    /// <summary>The permission that setting <paramref name="urgency"/> needs.</summary>
    public static DashboardPermission ForLevel(Urgency urgency) => (int)urgency switch
    {
        <= (int)Urgency.Prioritize => DashboardPermission.PrioritizeUpTo8,
        (int)Urgency.Urgent => DashboardPermission.Urgent,
        _ => DashboardPermission.Critical,
    };

    public static bool AllowsLevel(DashboardRole role, Urgency urgency) => Allows(role, ForLevel(urgency));

    /// <summary>The highest urgency <paramref name="role"/> may set, or null when it may set none.</summary>
    public static Urgency? HighestLevel(DashboardRole role) => role switch
    {
        DashboardRole.Admin => Urgency.Critical,
        DashboardRole.Manager => Urgency.Urgent,
        DashboardRole.Operator => Urgency.Prioritize,
        _ => null,
    };
}
