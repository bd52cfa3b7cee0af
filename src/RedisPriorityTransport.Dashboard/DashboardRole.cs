namespace RedisPriorityTransport.Dashboard;

/// <summary>
/// What a dashboard user may do; each role includes everything of the roles below it
/// (viewer &lt; operator &lt; manager &lt; admin).
/// </summary>
public enum DashboardRole
{
    /// <summary>No dashboard role: every page and action is refused.</summary>
    None = 0,
    /// <summary>Sees every page; changes nothing.</summary>
    Viewer = 1,
    /// <summary>Also moves waiting messages up to urgency 8 (Prioritize) or any lower level, and retries failed messages.</summary>
    Operator = 2,
    /// <summary>Also urgency 9 (Urgent), cancel, purge, pause and resume, and the rate limit.</summary>
    Manager = 3,
    /// <summary>Also urgency 10 (Critical) and the role assignments on the users page.</summary>
    Admin = 4,
}
