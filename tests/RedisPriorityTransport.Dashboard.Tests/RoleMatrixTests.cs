using RedisPriorityTransport.Dashboard.Security;

namespace RedisPriorityTransport.Dashboard.Tests;

/// <summary>The users' permission matrix, cell by cell, and the rule for setting any level.</summary>
public sealed class RoleMatrixTests
{
    [Theory]
    [InlineData(DashboardRole.None, "")]
    [InlineData(DashboardRole.Viewer, "View")]
    [InlineData(DashboardRole.Operator, "View PrioritizeUpTo8 Retry")]
    [InlineData(DashboardRole.Manager, "View PrioritizeUpTo8 Retry Urgent Cancel Purge PauseResume RateLimit")]
    [InlineData(DashboardRole.Admin, "View PrioritizeUpTo8 Retry Urgent Cancel Purge PauseResume RateLimit Critical ManageUsers")]
    public void Each_role_may_do_exactly_its_row_of_the_matrix(DashboardRole role, string allowed)
    {
        var expected = allowed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<DashboardPermission>).ToHashSet();
        foreach (var permission in Enum.GetValues<DashboardPermission>())
            Assert.True(RoleMatrix.Allows(role, permission) == expected.Contains(permission), $"{role} / {permission}");
    }

    [Theory]
    [InlineData(DashboardRole.Viewer, -1)]
    [InlineData(DashboardRole.Operator, 8)]
    [InlineData(DashboardRole.Manager, 9)]
    [InlineData(DashboardRole.Admin, 10)]
    public void Any_level_is_allowed_up_to_the_highest_the_role_may_reach(DashboardRole role, int highest)
    {
        foreach (var urgency in UrgencyScale.MostUrgentFirst)
            Assert.True(RoleMatrix.AllowsLevel(role, urgency) == ((int)urgency <= highest), $"{role} / {urgency}");
        Assert.Equal(highest < 0 ? null : (Urgency?)highest, RoleMatrix.HighestLevel(role));
    }
}
