using RedisPriorityTransport.Dashboard.Endpoints;
using RedisPriorityTransport.Dashboard.Rendering;
using RedisPriorityTransport.Dashboard.Security;

namespace RedisPriorityTransport.Dashboard.Pages;

/// <summary>
/// Admins assign dashboard roles to user names (kept in Redis) and see who changed which role, newest first. Nobody
/// signs in here: the host authenticates.
/// </summary>
internal static class UsersPage
{
    /// <summary>Role changes a page of the history shows.</summary>
    const int HistoryPageSize = 50;

    static readonly DashboardRole[] Roles = [DashboardRole.Viewer, DashboardRole.Operator, DashboardRole.Manager, DashboardRole.Admin];

    public static async Task<string> RenderAsync(DashboardRequest request, RoleAssignments assignments)
    {
        var list = await assignments.ListAsync();
        var before = request.Query("before");
        var history = await assignments.HistoryAsync(before, HistoryPageSize);
        var o = request.Options;
        var html = new Html();
        html.Add($"""
            <div class="page-head"><div><h1>Users</h1><p class="sub">Role assignments kept in Redis. A user's role is the higher of this assignment and their role claims
            ({o.ViewerRoleName}, {o.OperatorRoleName}, {o.ManagerRoleName}, {o.AdminRoleName}). No passwords: the application signs users in.</p></div></div>
            <div class="grid">
            <section class="panel"><h2>Assign a role</h2>
            <form method="post" action="{request.Url("/users")}" class="action-row" data-testid="assign-form">
            {request.AntiforgeryField()}
            <label>User name<input type="text" name="user" required data-testid="assign-user" placeholder="as the application names them"></label>
            <label>Role<select name="role" data-testid="assign-role">
            """);
        foreach (var role in Roles)
            html.Add($"<option value=\"{Layout.Role(role)}\">{Layout.Role(role)}</option>");
        html.Add($"""
            </select></label>
            <label>Reason<input type="text" name="reason" maxlength="{RoleAssignments.MaxReasonLength}" data-testid="assign-reason" placeholder="optional, kept in the history"></label>
            <button type="submit" class="primary" data-testid="assign">Save</button>
            </form>
            </section>
            <section class="panel"><h2>What each role may do</h2>
            <table><thead><tr><th>Role</th><th>May</th></tr></thead><tbody>
            <tr><td><span class="role role-viewer">viewer</span></td><td>see every page</td></tr>
            <tr><td><span class="role role-operator">operator</span></td><td>+ Prioritize (any level up to 8), retry from error and skipped</td></tr>
            <tr><td><span class="role role-manager">manager</span></td><td>+ Urgent (9), cancel, purge, pause and resume, rate limit</td></tr>
            <tr><td><span class="role role-admin">admin</span></td><td>+ Critical (10), role assignments</td></tr>
            </tbody></table>
            </section>
            </div>
            <section class="panel flush"><h2>Assignments</h2>
            <table data-testid="assignments"><thead><tr><th>User</th><th>Role</th><th></th></tr></thead><tbody>
            """);
        if (list.Count == 0)
            html.Add($"<tr><td colspan=\"3\" class=\"empty\">No assignments yet; roles come from claims only.</td></tr>");
        foreach (var (user, role) in list)
        {
            html.Add($"""
                <tr data-user="{user}"><td>{user}</td><td><span class="role role-{Layout.Role(role)}">{Layout.Role(role)}</span></td>
                <td><form method="post" action="{request.Url("/users/remove")}">{request.AntiforgeryField()}<input type="hidden" name="user" value="{user}"><input type="text" name="reason" maxlength="{RoleAssignments.MaxReasonLength}" aria-label="Reason for removing {user}" placeholder="reason (optional)"> <button type="submit" class="danger">Remove</button></form></td></tr>
                """);
        }

        html.Add($"</tbody></table></section>");
        html.Add(History(request, history.Entries, before, history.NextCursor));
        return Layout.Page(request, "Users", html.ToHtml(), active: "users");
    }

    /// <summary>The audit of role changes: when (Redis time), who, whose role, from → to, why.</summary>
    static HtmlString History(DashboardRequest request, IReadOnlyList<RoleChange> entries, string? before, string? next)
    {
        var html = new Html();
        html.Add($"""
            <section class="panel flush"><h2>Role changes</h2>
            <table data-testid="role-history"><thead><tr><th>Time (UTC)</th><th>By</th><th>User</th><th>From</th><th>To</th><th>Reason</th></tr></thead><tbody>
            """);
        if (entries.Count == 0)
            html.Add($"<tr><td colspan=\"6\" class=\"empty\">No role changes yet.</td></tr>");
        foreach (var e in entries)
        {
            html.Add($"""
                <tr data-testid="role-change"><td class="nowrap">{Format.Time(e.Time)}</td><td data-testid="role-change-actor">{e.Actor}</td>
                <td data-testid="role-change-user">{e.User}</td><td data-testid="role-change-from">{RoleOrNone(e.From)}</td>
                <td data-testid="role-change-to">{RoleOrNone(e.To)}</td><td data-testid="role-change-reason">{e.Reason}</td></tr>
                """);
        }

        html.Add($"</tbody></table>");
        if (before is not null || next is not null)
        {
            html.Add($"<div class=\"pager\">");
            if (before is not null)
                html.Add($"<a class=\"button\" href=\"{request.Url("/users")}\">Newest</a>");
            if (next is not null)
                html.Add($"<a class=\"button\" href=\"{request.Url("/users?before=" + Uri.EscapeDataString(next))}\">Older</a>");
            html.Add($"</div>");
        }

        html.Add($"</section>");
        return html.ToHtml();
    }

    static HtmlString RoleOrNone(DashboardRole role) => role == DashboardRole.None
        ? Html.Of($"<span class=\"zero\">none</span>")
        : Html.Of($"<span class=\"role role-{Layout.Role(role)}\">{Layout.Role(role)}</span>");
}
