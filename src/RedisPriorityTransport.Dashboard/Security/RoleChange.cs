namespace RedisPriorityTransport.Dashboard.Security;

/// <summary>
/// One entry of the role-change audit: <paramref name="Actor"/> changed <paramref name="User"/>'s assignment from
/// <paramref name="From"/> to <paramref name="To"/> (<see cref="DashboardRole.None"/>: no assignment) at
/// <paramref name="Time"/>, Redis's clock when the entry was added (the ms of its stream id <paramref name="Id"/>).
/// </summary>
internal sealed record RoleChange(string Id, DateTimeOffset Time, string Actor, string User, DashboardRole From, DashboardRole To, string? Reason);
