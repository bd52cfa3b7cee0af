namespace RedisPriorityTransport.Dashboard;

/// <summary>Settings of the dashboard, given to <c>AddRedisPriorityDashboard</c>.</summary>
public sealed class DashboardOptions
{
    /// <summary>The title shown in the page header (default "Priority queues").</summary>
    public string Title { get; set; } = "Priority queues";

    /// <summary>The role name (ASP.NET Core role claim) that grants <see cref="DashboardRole.Viewer"/> (default <c>viewer</c>).</summary>
    public string ViewerRoleName { get; set; } = "viewer";

    /// <summary>The role name that grants <see cref="DashboardRole.Operator"/> (default <c>operator</c>).</summary>
    public string OperatorRoleName { get; set; } = "operator";

    /// <summary>The role name that grants <see cref="DashboardRole.Manager"/> (default <c>manager</c>).</summary>
    public string ManagerRoleName { get; set; } = "manager";

    /// <summary>The role name that grants <see cref="DashboardRole.Admin"/> (default <c>admin</c>).</summary>
    public string AdminRoleName { get; set; } = "admin";

    /// <summary>
    /// Whether roles assigned on the dashboard's users page (kept in Redis under the key prefix) count (default true).
    /// A user's role is the higher of their claims' role and their assignment.
    /// </summary>
    public bool UseRoleAssignments { get; set; } = true;

    /// <summary>
    /// The key prefix under which role assignments are kept; null for the Redis bus's prefix
    /// (<c>RedisPriorityQueue:KeyPrefix</c>, else <c>rpt:</c>). Like the bus's: at most 64 letters, digits, <c>- _ . :</c>.
    /// </summary>
    public string? KeyPrefix { get; set; }

    /// <summary>
    /// A StackExchange.Redis configuration string for the role assignments; null to use the <c>IConnectionMultiplexer</c>
    /// registered in the container, else <c>RedisPriorityQueue:Configuration</c>.
    /// </summary>
    public string? RedisConfiguration { get; set; }

    /// <summary>How often open pages refresh their counts, in seconds (default 5; 0 turns live refresh off).</summary>
    public int RefreshSeconds { get; set; } = 5;

    /// <summary>Messages per page on the queue page (default 50, at most 500).</summary>
    public int PageSize { get; set; } = 50;

    internal void Validate()
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(ViewerRoleName), ViewerRoleName), (nameof(OperatorRoleName), OperatorRoleName),
                     (nameof(ManagerRoleName), ManagerRoleName), (nameof(AdminRoleName), AdminRoleName),
                 })
        {
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"DashboardOptions.{name} must name a role; it is empty.", name);
        }

        if (RefreshSeconds is < 0 or > 3600)
            throw new ArgumentOutOfRangeException(nameof(RefreshSeconds), RefreshSeconds, "DashboardOptions.RefreshSeconds must be 0..3600.");
        if (PageSize is < 1 or > 500)
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, "DashboardOptions.PageSize must be 1..500.");
        if (KeyPrefix is { Length: 0 })
            throw new ArgumentException("DashboardOptions.KeyPrefix must be null or non-empty.", nameof(KeyPrefix));
        // The bus's rule: no braces, so the {dashboard} hash tag that follows is the first in each key.
        if (KeyPrefix is { Length: > 64 } || KeyPrefix?.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':')) == true)
            throw new ArgumentException($"DashboardOptions.KeyPrefix must be at most 64 letters, digits, '-', '_', '.' and ':'; got '{KeyPrefix}'.", nameof(KeyPrefix));
    }
}
