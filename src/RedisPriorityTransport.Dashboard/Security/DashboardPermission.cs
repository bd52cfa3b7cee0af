namespace RedisPriorityTransport.Dashboard.Security;

/// <summary>Each thing a dashboard user can do; <see cref="RoleMatrix"/> says which role may.</summary>
internal enum DashboardPermission
{
    View,
    /// <summary>Set a waiting message's urgency to 8 (Prioritize) or any level up to 8.</summary>
    PrioritizeUpTo8,
    Retry,
    /// <summary>Set urgency 9 (Urgent).</summary>
    Urgent,
    Cancel,
    Purge,
    PauseResume,
    RateLimit,
    /// <summary>Set urgency 10 (Critical).</summary>
    Critical,
    ManageUsers,
}
